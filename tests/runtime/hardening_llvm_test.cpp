// `tracelet -kk execsnoop.bt` runs (issue 13, item 3): before, the -kk checks of join()'s 32
// reads overflowed the BPF stack and LLVM ended the process with an unlocated message.
#include "harness.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace tracelet::test;

TEST(LlvmLimits, DoubleKExecsnoopRunsAndShowsTheExec) {
  REQUIRE_BPF();
  const char* tool = "/usr/sbin/execsnoop.bt";
  if (access(tool, R_OK) != 0) GTEST_SKIP() << tool << " is not installed (bpftrace's tools)";
  auto r = run_tracelet(interrupt_after({"-kk", tool}, "ARGS", [] {
    run_command({workload_binary(), "getppid", "3"});
  }));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find(workload_binary() + " getppid 3"), std::string::npos) << r.out;
}
