// Address spaces (issue 10, item 3): in a uprobe, a pointer cast from an argument is read from
// user memory through any chain of casts, `*`, `[]`, `->` and str(); uptr()/kptr() override
// the probe's default. bpftrace 0.17 prints the same lines for these scripts.
#include "uprobe_target.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace tracelet::test;

namespace {

TEST(AddressSpace, UprobeArgumentPointersReadUserMemory) {
  REQUIRE_BPF();
  auto r =
      trace_uprobe_target(std::string(kTlxPoint) + "uprobe:" + uprobe_target() + R"(:tlx_point_sum {
      $p = (struct tlx_point *)arg0;
      printf("%d %d %s %d %d\n", $p->x, $p->y, $p->name, $p->values[1], *(int32 *)arg1);
      printf("%d %d %s\n", *(int32 *)arg0, ((int32 *)arg0)[1], str(arg0 + 8));
      print(*$p);
      @p = *$p; })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("3 4 pt 20 5\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 4 pt\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{ .x = 3, .y = 4, .name = pt, .values = [10,20] }\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("@p: { .x = 3, .y = 4, .name = pt, .values = [10,20] }\n"),
            std::string::npos)
      << r.out;
}

TEST(AddressSpace, UptrAndKptrOverrideTheProbesSpace) {
  REQUIRE_BPF();
  // In a uprobe, kptr() reads the user address as a kernel one: the read faults and gives 0.
  auto r = trace_uprobe_target("uprobe:" + uprobe_target() + R"(:tlx_point_sum {
      printf("u %d k %d\n", *(int32 *)uptr(arg1), *(int32 *)kptr(arg1)); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("u 5 k 0\n"), std::string::npos) << r.out;
}

TEST(AddressSpace, UptrOfAWrongTypeIsAnError) {
  auto r = run_tracelet({"-e", R"(BEGIN { $x = uptr("abc"); })"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:19: error: uptr() needs a pointer or an integer address, not "
                   "string[4]\n"
                   "BEGIN { $x = uptr(\"abc\"); }\n"
                   "                  ^~~~~\n");
}

} // namespace
