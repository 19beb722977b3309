// Watchpoint programs as codegen/watchpoint_events.h describes them to the runtime: the probe's
// perf_event program (address, length, mode in its ProgramDesc) and, for FUNC+argN, the uprobe
// that stops the process (synchronous kind only) and sends argN in a kWatchpointAttach event;
// unwatch() as a kWatchpointDetach event. Both load into the verifier.
#include "codegen_fixture.h"

#include "codegen/watchpoint_events.h"

#include <gtest/gtest.h>

namespace tracelet::testing {

namespace {

constexpr int kSendSignal = 109;     // BPF_FUNC_send_signal
constexpr int kPerfEventOutput = 25; // BPF_FUNC_perf_event_output

TEST(Watchpoints, AbsoluteAddressIsOnePerfEventProgram) {
  auto c = compile_source("watchpoint:0x404050:8:wr { @[probe] = count(); }", false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 1u);
  const auto& p = c->program.programs[0];
  EXPECT_EQ(p.section, "perf_event");
  EXPECT_EQ(p.provider, "watchpoint");
  EXPECT_EQ(p.offset, 0x404050u); // the address
  EXPECT_EQ(p.freq, 8u);          // the length
  EXPECT_EQ(p.target, "rw");      // the mode, sorted
  EXPECT_EQ(p.probe_name, "watchpoint:4210768:8:rw");
  EXPECT_EQ(p.attach_points, 1u);
  EXPECT_EQ(count_helper_calls(c->ir, kSendSignal), 0);
}

TEST(Watchpoints, FunctionArgumentAddsAStoppingUprobe) {
  auto c = compile_source("watchpoint:f+arg2:4:w { @n = count(); }", false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 2u);
  const auto& watch = c->program.programs[0];
  EXPECT_EQ(watch.section, "perf_event");
  EXPECT_EQ(watch.provider, "watchpoint");
  EXPECT_EQ(watch.offset, 0u); // attached where the uprobe's events say
  EXPECT_EQ(watch.freq, 4u);
  EXPECT_EQ(watch.target, "w");
  EXPECT_EQ(watch.attach_points, 1u);
  const auto& setup = c->program.programs[1];
  EXPECT_EQ(setup.section, "uprobe");
  EXPECT_EQ(setup.provider, "watchpoint_setup");
  EXPECT_TRUE(codegen::is_watchpoint_setup(setup.provider));
  EXPECT_EQ(setup.func, "f");
  EXPECT_EQ(setup.attach_points, 0u); // "Attaching 1 probe..."
  // SIGSTOP, then the event; the event names programs[0] (id 0) and carries arg2 (%rdx).
  EXPECT_EQ(count_helper_calls(c->ir, kSendSignal), 1);
  EXPECT_NE(c->ir.find("i32 19)"), std::string::npos) << c->ir; // SIGSTOP
  uint64_t header = codegen::kWatchpointAttach;                 // {u32 kind; u32 id = 0}
  EXPECT_NE(c->ir.find("i64 " + std::to_string(header) + ","), std::string::npos) << c->ir;
}

TEST(Watchpoints, AsyncUprobeDoesNotStop) {
  auto c = compile_source("asyncwatchpoint:f+arg0:8:rw { @n = count(); }", false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 2u);
  EXPECT_EQ(c->program.programs[0].provider, "asyncwatchpoint");
  EXPECT_EQ(c->program.programs[1].provider, "asyncwatchpoint_setup");
  EXPECT_EQ(count_helper_calls(c->ir, kSendSignal), 0);
}

TEST(Watchpoints, UnwatchSendsTheAddress) {
  auto c = compile_source("BEGIN { unwatch(0x404050); }", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 1);
  EXPECT_NE(c->ir.find("i64 " + std::to_string(codegen::kWatchpointDetach) + ","),
            std::string::npos)
      << c->ir;
  EXPECT_NE(c->ir.find("i64 4210768,"), std::string::npos) << c->ir;
}

TEST(Watchpoints, ProgramsLoadIntoTheVerifier) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source("watchpoint:f+arg1:8:w { @[ustack, kstack, comm] = count(); } "
                          "asyncwatchpoint:g+arg0:4:rw { printf(\"%d\\n\", pid); } "
                          "watchpoint:0x404050:8:rw { unwatch(0x404050); }",
                          false);
  ASSERT_TRUE(c);
  EXPECT_EQ(load_into_kernel(c->program), "");
}

} // namespace

} // namespace tracelet::testing
