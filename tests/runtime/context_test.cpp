// The ctx builtin on the real kernel: the registers of a uprobe (tl_uprobe_target's
// tl_add(i, 100)), the sample period of perf-event probes, the kprobe forms loaded with
// --dry-run (this kernel has no kprobes), and its located errors from the command line.
#include "uprobe_target.h"

#include <gtest/gtest.h>

using namespace tracelet::test;

TEST(Context, UprobeRegistersAreTheArguments) {
  REQUIRE_BPF();
  auto r = trace_uprobe_target("uprobe:" + uprobe_target() + R"(:tl_add {
      $v = ctx;
      printf("%d %d %d %d\n", ((struct pt_regs *)ctx)->di == arg0, ctx->si, $v->di, ctx != 0); }
    uretprobe:)" + uprobe_target() +
                                   R"(:tl_add { printf("ret %d\n", ctx->ax == retval); })",
                               3);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "1 100 0 1\n"), 1u) << r.out;
  EXPECT_EQ(count_of(r.out, "1 100 1 1\n"), 1u) << r.out;
  EXPECT_EQ(count_of(r.out, "1 100 2 1\n"), 1u) << r.out;
  EXPECT_EQ(count_of(r.out, "ret 1\n"), 3u) << r.out;
}

TEST(Context, UprobeContextAsARecordAndAnAddress) {
  REQUIRE_BPF();
  // tl_sum6(1, 2, 3, 4, 5, 6): r8 and r9 carry the fifth and sixth arguments.
  auto r = trace_uprobe_target("uprobe:" + uprobe_target() + R"(:tl_sum6 {
      $r = *ctx; @regs = ($r.di, $r.si, $r.r8, $r.r9); @addr = (uint64)ctx > 0; })");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@addr: 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@regs: (1, 2, 5, 6)\n"), std::string::npos) << r.out;
}

TEST(Context, PerfEventSamplePeriod) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(interval:ms:100 { printf("%d %d\n", ctx->sample_period,
      ((struct bpf_perf_event_data *)ctx)->sample_period); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("100000000 100000000\n"), std::string::npos) << r.out;
  // software events count in periods of their count; profile samples at a frequency, so its
  // period is whatever the kernel last chose (above 0).
  auto s = run_tracelet({"-e", R"(software:cpu-clock:1000000 /@n == 0/ { @n = 1;
      printf("%d %d\n", ctx->sample_period, ctx->regs.sp != 0); exit(); }
      profile:hz:99 { @p = ctx->sample_period > 0; } END { clear(@n); })"});
  EXPECT_EQ(s.exit_status, 0) << s.err;
  EXPECT_NE(s.out.find("1000000 1\n"), std::string::npos) << s.out;
}

TEST(Context, KprobeFormsPassTheVerifierWithDryRun) {
  REQUIRE_BPF();
  auto r = run_tracelet({"--dry-run", "-e", R"(kprobe:do_nanosleep {
      $r = (struct pt_regs *)ctx; printf("%p %d %d\n", ctx, ctx->di, $r->si);
      @[((struct pt_regs *)ctx)->dx] = count(); @a = (uint64)ctx; }
    kretprobe:do_nanosleep { @ret = hist(ctx->ax); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "") << r.err;
}

TEST(Context, LocatedErrorFromTheCommandLine) {
  auto r = run_tracelet({"-e", "BEGIN { @p = ctx; }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:14: error: ctx is not available in BEGIN probes: they run before "
                   "any event, with no probe context\n"
                   "BEGIN { @p = ctx; }\n"
                   "             ^~~\n");
}
