// `-l` of software and hardware events and of kernel types (struct, union, enum from BTF), on
// this machine, compared with bpftrace 0.17 where its output is the same by design.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using tracelet::test::lines_of;
using tracelet::test::reference_bpftrace;
using tracelet::test::run_command;
using tracelet::test::run_tracelet;

TEST(EventListing, HardwareEventsAreListedWithoutAPmu) {
  // bpftrace's runtime test "it lists hardware events": `-l | grep hardware`.
  auto r = run_tracelet({"-l"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("\nhardware:cpu-cycles:\n"), std::string::npos);
  EXPECT_NE(r.out.find("\nhardware:cache-misses:\n"), std::string::npos);
  EXPECT_NE(r.out.find("\nsoftware:cpu-clock:\n"), std::string::npos);
  EXPECT_EQ(r.err.find("hardware"), std::string::npos) << "no note without asking: " << r.err;
}

TEST(EventListing, WildcardedProviderType) {
  // "listing with wildcarded probe type": the provider glob picks hardware and software only.
  auto r = run_tracelet({"-l", "*ware:*"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  auto listed = lines_of(r.out);
  EXPECT_EQ(listed.size(), 21u) << r.out;
  for (const auto& line : listed)
    EXPECT_TRUE(line.rfind("hardware:", 0) == 0 || line.rfind("software:", 0) == 0) << line;
  auto h = run_tracelet({"-l", "h*:cpu*"});
  EXPECT_EQ(h.out, "hardware:cpu-cycles:\n");
  auto alias = run_tracelet({"-l", "s:cs:1000"}); // a name is listed as given, without count
  EXPECT_EQ(alias.out, "software:cs:\n");
}

TEST(EventListing, UnknownEventOfANamedProviderIsAnError) {
  auto r = run_tracelet({"-l", "hardware:nonexist"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "tracelet: error: nonexist is not a hardware probe\n");
}

TEST(TypeListing, StructNamesAndDefinitions) {
  // bpftrace's runtime test "it lists struct definitions": `-lv 'struct task_struct'`.
  auto names = run_tracelet({"-l", "struct task_struct"});
  ASSERT_EQ(names.exit_status, 0) << names.err;
  EXPECT_EQ(names.out, "struct task_struct\n");
  auto defs = run_tracelet({"-lv", "struct task_struct"});
  ASSERT_EQ(defs.exit_status, 0) << defs.err;
  EXPECT_EQ(defs.out.rfind("struct task_struct {\n", 0), 0u) << defs.out.substr(0, 200);
  EXPECT_NE(defs.out.find("\n\tpid_t pid;\n"), std::string::npos);
  EXPECT_NE(defs.out.find("\n\tchar comm[16];\n"), std::string::npos);
  EXPECT_EQ(defs.out.substr(defs.out.size() - 4), "};\n\n");
  EXPECT_EQ(tracelet::test::count_of(defs.out, "\n};\n"), 1u) << "one definition";
  auto v = run_tracelet({"-l", "-v", "struct path"}); // -v after -l as -lv
  EXPECT_EQ(v.out, "struct path {\n\tstruct vfsmount *mnt;\n\tstruct dentry *dentry;\n};\n\n");
}

TEST(TypeListing, WildcardsUnionsEnumsAndNothingFound) {
  auto tasks = lines_of(run_tracelet({"-l", "struct task_*"}).out);
  ASSERT_FALSE(tasks.empty());
  EXPECT_TRUE(std::is_sorted(tasks.begin(), tasks.end()));
  EXPECT_NE(std::find(tasks.begin(), tasks.end(), "struct task_struct"), tasks.end());
  for (const auto& t : tasks)
    EXPECT_EQ(t.rfind("struct task_", 0), 0u) << t;
  EXPECT_EQ(run_tracelet({"-l", "union bpf_attr"}).out, "union bpf_attr\n");
  auto pid_type = run_tracelet({"-lv", "enum pid_type"});
  EXPECT_EQ(pid_type.out.rfind("enum pid_type {\n\tPIDTYPE_PID = 0,\n", 0), 0u) << pid_type.out;
  auto none = run_tracelet({"-l", "struct tl_no_such_struct"});
  EXPECT_EQ(none.exit_status, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "");
}

TEST(TypeListing, SameAsBpftrace) {
  std::string bpftrace = reference_bpftrace();
  if (bpftrace.empty()) GTEST_SKIP() << "bpftrace is not installed: listings not compared";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-l", "struct task_struct"},
           {"-lv", "struct task_struct"},
           {"-lv", "struct path"},
           {"-l", "struct task_*"},
           {"-lv", "struct sched_*"},
           {"-l", "union *"},
           {"-l", "enum*"},
           {"-lv", "enum pid_type"},
           {"-lv", "union bpf_attr"},
           {"-l", "struct nonexistent"},
           {"-l", "struct"},
       }) {
    std::string expected;
    std::vector<std::string> argv = {bpftrace};
    argv.insert(argv.end(), args.begin(), args.end());
    EXPECT_EQ(run_command(argv, &expected), 0) << args[1];
    auto r = run_tracelet(args);
    EXPECT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.out, expected) << args[0] << " " << args[1];
  }
}

} // namespace
