// A tracepoint's char-array field compared with a string (`args->comm == "x"`) loads and
// matches exactly the process with that name (issue 10, item 12). The test makes the names:
// a shell renames itself by writing /proc/self/comm (task:task_rename's oldcomm/newcomm), and
// tl_workload exits under its own name (sched:sched_process_exit's comm).
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <unistd.h>

using namespace tracelet::test;

namespace {

TEST(TracepointComm, CharArrayFieldsCompareWithStrings) {
  REQUIRE_BPF();
  // A name of our own (at most 15 characters), so that parallel runs do not see each other.
  std::string name = "tlcomm" + std::to_string(getpid() % 1000000);
  auto r = trace_while(R"(tracepoint:task:task_rename /args->newcomm == ")" + name +
                           R"(" && args->oldcomm == "sh"/ {
        printf("renamed %s -> %s\n", args->oldcomm, args->newcomm); @renames = count(); }
      tracepoint:task:task_rename /args->newcomm == ")" +
                           name.substr(0, name.size() - 1) + R"("/ { @prefix = count(); }
      tracepoint:task:task_rename /args.newcomm != ")" +
                           name + R"(" && args.newcomm == ")" + name + R"("/ { @never = count(); }
      tracepoint:sched:sched_process_exit /args->comm == ")" +
                           name + R"("/ { @exits = count(); })",
                       [&] {
                         // dash runs printf as a builtin: the shell itself is renamed, then
                         // exits under the name.
                         for (int i = 0; i < 2; ++i)
                           run_command({"/bin/sh", "-c", "printf " + name + " > /proc/self/comm"});
                       });
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("renamed sh -> " + name + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@renames: 2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@exits: 2\n"), std::string::npos) << r.out;
  // count() maps without keys print 0 when nothing counted (bpftrace prints them too).
  EXPECT_NE(r.out.find("@prefix: 0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@never: 0\n"), std::string::npos) << r.out;
}

} // namespace
