// time, strftime, join, cat, system, signal, kaddr, uaddr, cgroupid and username: types and
// the checks bpftrace 0.17 makes, with a fake kernel.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;
using tracelet::test::FakeKernel;

// kaddr/cgroupid/uaddr values from canned tables.
class ValuesKernel : public FakeKernel {
public:
  std::optional<uint64_t> kernel_symbol_address(const std::string& name,
                                                std::string& error) override {
    if (name == "avenrun") return 0xffffffff82000040ull;
    error = "no kernel symbol '" + name + "' in /proc/kallsyms";
    return std::nullopt;
  }
  std::optional<uint64_t> cgroup_id(const std::string& path, std::string& error) override {
    if (path == "/sys/fs/cgroup/unified") return 1;
    error = "cannot get the cgroup id of '" + path + "': No such file or directory";
    return std::nullopt;
  }
  std::optional<std::pair<uint64_t, uint64_t>>
  binary_object_symbol(const std::string&, const std::string& name, std::string& error) override {
    if (name == "ps1_prompt") return std::make_pair(0x4e1a40ull, 8ull);
    if (name == "small") return std::make_pair(0x4e1a50ull, 2ull);
    error = "no data symbol '" + name + "'";
    return std::nullopt;
  }
};

TEST(ProcessFunctions, Types) {
  ValuesKernel kernel;
  auto a = analyse("BEGIN { time(); time(\"%H\\n\"); $t = strftime(\"%H\", nsecs); "
                   "@k[strftime(\"%M\", 1)] = 1; join(0); join(0, \",\"); cat(\"/x/%d\", 1); "
                   "$a = kaddr(\"avenrun\"); $l = *$a; $c = cgroupid(\"/sys/fs/cgroup/unified\"); "
                   "$u = username; exit(); }\n"
                   "uprobe:/bin/bash:readline { $p = uaddr(\"ps1_prompt\"); $s = uaddr(\"small\"); }",
                   {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("strftime(\"%H\", nsecs)"), "timestamp");
  EXPECT_EQ(a->type_of("kaddr(\"avenrun\")"), "uint64");
  EXPECT_EQ(a->type_of("*$a"), "uint64");
  EXPECT_EQ(a->type_of("cgroupid(\"/sys/fs/cgroup/unified\")"), "uint64");
  EXPECT_EQ(a->type_of("username"), "username");
  EXPECT_EQ(a->type_of("uaddr(\"ps1_prompt\")"), "uint64 *");
  EXPECT_EQ(a->type_of("uaddr(\"small\")"), "uint16 *");
}

TEST(ProcessFunctions, LiteralsAreRequired) {
  auto a = analyse("BEGIN { $f = \"%H\"; time($f); printf(\"%s\", strftime($f, 1)); "
                   "join(0, $f); cat($f); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("time() needs a string literal as its format (string[3] given)"),
            std::string::npos)
      << a->errors();
  EXPECT_NE(a->errors().find("strftime() needs a string literal as its format"), std::string::npos);
  EXPECT_NE(a->errors().find("join() needs a string literal as its separator"), std::string::npos);
  EXPECT_NE(a->errors().find("cat() needs a string literal as its format"), std::string::npos);
}

TEST(ProcessFunctions, StatementsHaveNoValue) {
  auto a = analyse("BEGIN { @a = join(0); @b = time(); $c = cat(\"/x\"); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("join() does not return a value"), std::string::npos) << a->errors();
  EXPECT_NE(a->errors().find("time() does not return a value"), std::string::npos);
  EXPECT_NE(a->errors().find("cat() does not return a value"), std::string::npos);
}

TEST(ProcessFunctions, StrftimeTakesAnIntegerAndIsNotArithmetic) {
  auto a = analyse("BEGIN { printf(\"%s\", strftime(\"%H\", \"x\")); @x = strftime(\"%H\", 1) + 1; "
                   "printf(\"%d\", strftime(\"%H\", 1)); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("strftime() needs an integer timestamp in nanoseconds, not string[2]"),
            std::string::npos)
      << a->errors();
  EXPECT_NE(a->errors().find("printf: %d expects a value of type integer (timestamp supplied)"),
            std::string::npos)
      << a->errors();
}

TEST(ProcessFunctions, UnsafeFunctionsNeedUnsafe) {
  auto a = analyse("tracepoint:syscalls:sys_enter_openat { system(\"ls\"); signal(9); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("system() is an unsafe function being used in safe mode: run with "
                             "--unsafe to allow it"),
            std::string::npos)
      << a->errors();
  EXPECT_NE(a->errors().find("signal() is an unsafe function being used in safe mode"),
            std::string::npos);
}

TEST(ProcessFunctions, CompileTimeLookupsReportWhyTheyFailed) {
  ValuesKernel kernel;
  auto a = analyse("BEGIN { print(kaddr(\"nope\")); print(cgroupid(\"/nope\")); print(uaddr(\"x\")); }\n"
                   "uprobe:/bin/bash:readline { print(uaddr(\"nope\")); print(uaddr(\"a b\")); }",
                   {}, &kernel);
  EXPECT_FALSE(a->ok);
  const std::string e = a->errors();
  EXPECT_NE(e.find("kaddr(\"nope\"): no kernel symbol 'nope' in /proc/kallsyms"), std::string::npos) << e;
  EXPECT_NE(e.find("cgroupid(\"/nope\"): cannot get the cgroup id"), std::string::npos) << e;
  EXPECT_NE(e.find("uaddr() is only available in uprobe and uretprobe probes"), std::string::npos) << e;
  EXPECT_NE(e.find("uaddr(\"nope\"): no data symbol 'nope'"), std::string::npos) << e;
  EXPECT_NE(e.find("uaddr() needs a symbol name (^[a-zA-Z0-9./_-]+$), not \"a b\""), std::string::npos) << e;
}

} // namespace
