// `#include` of a header that exists nowhere is a located error (issue 10, item 9; bpftrace:
// "file not found"); kernel headers are satisfied by BTF; others are looked up next to the
// script, in -I directories and in /usr/include.
#include "parse_helpers.h"
#include "parser/include_check.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace tracelet;
using namespace tracelet::testing;

TEST(IncludeCheck, MissingHeaderIsALocatedError) {
  auto r = parse_text("#include <nonexistent_tracelet_header.h>\nBEGIN { }");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_EQ(r.messages(),
            "stdin:1:1: error: #include <nonexistent_tracelet_header.h>: file not found\n"
            "#include <nonexistent_tracelet_header.h>\n"
            "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(IncludeCheck, KernelHeadersNeedNotBeOnDisk) {
  auto r = parse_text("#include <linux/sched.h>\n#include <net/sock.h>\n#include \"net/sock.h\"\n"
                      "#include <asm/ptrace.h>\nBEGIN { }");
  EXPECT_NE(r.program, nullptr) << r.messages();
}

TEST(IncludeCheck, SystemHeadersAreFoundInUsrInclude) {
  if (access("/usr/include/stdint.h", R_OK) != 0) GTEST_SKIP() << "no /usr/include/stdint.h";
  auto r = parse_text("#include <stdint.h>\nBEGIN { }");
  EXPECT_NE(r.program, nullptr) << r.messages();
}

TEST(IncludeCheck, QuotedHeaderNextToTheScriptAndIncludeDirs) {
  std::string dir = "/tmp/tracelet_include_check_" + std::to_string(getpid());
  ASSERT_EQ(system(("mkdir -p " + dir + "/inc").c_str()), 0);
  std::ofstream(dir + "/local.h") << "#define A 1\n";
  std::ofstream(dir + "/inc/other.h") << "#define B 2\n";
  auto near = parse_text("#include \"local.h\"\nBEGIN { }", dir + "/prog.bt");
  EXPECT_NE(near.program, nullptr) << near.messages();
  auto without = parse_text("#include <other.h>\nBEGIN { }", dir + "/prog.bt");
  EXPECT_EQ(without.program, nullptr);
  parser::set_include_dirs({dir + "/inc"});
  auto with = parse_text("#include <other.h>\nBEGIN { }", dir + "/prog.bt");
  parser::set_include_dirs({});
  EXPECT_NE(with.program, nullptr) << with.messages();
  ASSERT_EQ(system(("rm -rf " + dir).c_str()), 0);
}
