// Attach-path decisions that need no kernel: interval periods and refused probe kinds.
#include "ast/diagnostics.h"
#include "runtime/attach/attach.h"
#include "runtime/kernel/kernel_features.h"

#include <gtest/gtest.h>

using namespace tracelet;

TEST(Interval, PeriodInNanoseconds) {
  EXPECT_EQ(runtime::interval_period_ns("s", 2, "interval:s:2"), 2000000000u);
  EXPECT_EQ(runtime::interval_period_ns("ms", 100, "interval:ms:100"), 100000000u);
  EXPECT_EQ(runtime::interval_period_ns("us", 250, "interval:us:250"), 250000u);
  EXPECT_EQ(runtime::interval_period_ns("hz", 99, "interval:hz:99"), 10101010u);
  EXPECT_THROW(runtime::interval_period_ns("ms", 0, "interval:ms:0"), Error);
  try {
    runtime::interval_period_ns("min", 1, "interval:min:1");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "cannot attach interval:min:1: unknown interval unit 'min' (use s, ms, us or hz)");
  }
}

TEST(CheckAttachable, RefusesKindsWithoutAnAttachPath) {
  codegen::CompiledProgram p;
  codegen::ProgramDesc begin;
  begin.provider = "BEGIN";
  begin.probe_name = "BEGIN";
  codegen::ProgramDesc tp;
  tp.provider = "tracepoint";
  tp.probe_name = "tracepoint:sched:sched_switch";
  codegen::ProgramDesc tick;
  tick.provider = "interval";
  tick.target = "ms";
  tick.freq = 10;
  tick.probe_name = "interval:ms:10";
  p.programs = {begin, tp, tick};
  EXPECT_NO_THROW(runtime::check_attachable(p));

  codegen::ProgramDesc kprobe;
  kprobe.provider = "kprobe";
  kprobe.func = "vfs_read";
  kprobe.probe_name = "kprobe:vfs_read";
  p.programs.push_back(kprobe);
  if (runtime::kernel_has_kprobes()) {
    EXPECT_NO_THROW(runtime::check_attachable(p));
  } else {
    try {
      runtime::check_attachable(p);
      ADD_FAILURE();
    } catch (const runtime::AttachError& e) {
      std::string msg = e.what();
      // No location in a hand-made description: the line starts with the probe.
      EXPECT_EQ(msg.rfind("kprobe:vfs_read cannot attach: this kernel has no kprobes "
                          "(CONFIG_KPROBES off)",
                          0),
                0u)
          << msg;
      EXPECT_NE(msg.find("tracepoint:"), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }

  p.programs = {begin};
  codegen::ProgramDesc iter; // a bpftrace kind tracelet has no attach path for
  iter.provider = "iter";
  iter.probe_name = "iter:task";
  p.programs.push_back(iter);
  try {
    runtime::check_attachable(p);
    ADD_FAILURE();
  } catch (const runtime::AttachError& e) {
    EXPECT_STREQ(e.what(), "iter:task cannot attach: tracelet cannot attach iter probes yet");
  }
}

TEST(CheckAttachable, LocatedErrorsNameTheSourcePosition) {
  codegen::CompiledProgram p;
  codegen::ProgramDesc hw;
  hw.provider = "hardware";
  hw.target = "no-such-event";
  hw.probe_name = "hardware:no-such-event";
  hw.loc.file = std::make_shared<const std::string>("script.bt");
  hw.loc.line = 3;
  hw.loc.col = 5;
  p.programs = {hw};
  try {
    runtime::check_attachable(p);
    ADD_FAILURE();
  } catch (const runtime::AttachError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("script.bt:3:5: error: hardware:no-such-event cannot "
                                          "attach: unknown hardware event 'no-such-event' (known: "
                                          "cpu-cycles, instructions, ",
                                          0),
              0u)
        << e.what();
  }
}

TEST(CheckAttachable, UprobeNeedsItsFunctionInTheBinary) {
  codegen::CompiledProgram p;
  codegen::ProgramDesc up;
  up.provider = "uprobe";
  up.target = "/proc/self/exe";
  up.func = "tl_no_such_function";
  up.probe_name = "uprobe:/proc/self/exe:tl_no_such_function";
  p.programs = {up};
  try {
    runtime::check_attachable(p);
    ADD_FAILURE();
  } catch (const runtime::AttachError& e) {
    EXPECT_STREQ(e.what(), "uprobe:/proc/self/exe:tl_no_such_function cannot attach: no function "
                           "'tl_no_such_function' in /proc/self/exe");
  }
}

TEST(SuggestTracepoint, SyscallImplementationsMapToTheirSyscall) {
  if (runtime::suggest_tracepoint("do_sys_openat2").empty())
    GTEST_SKIP() << "no syscalls tracepoints readable here (tracefs)";
  EXPECT_EQ(runtime::suggest_tracepoint("do_sys_openat2"), "tracepoint:syscalls:sys_enter_openat");
  EXPECT_EQ(runtime::suggest_tracepoint("__x64_sys_read"), "tracepoint:syscalls:sys_enter_read");
  EXPECT_EQ(runtime::suggest_tracepoint("tl_not_a_kernel_function_at_all"), "");
}
