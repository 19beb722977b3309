// Attach-path decisions that need no kernel: interval periods and refused probe kinds.
#include "ast/diagnostics.h"
#include "runtime/attach.h"

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
  kprobe.probe_name = "kprobe:vfs_read";
  p.programs.push_back(kprobe);
  try {
    runtime::check_attachable(p);
    ADD_FAILURE();
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("cannot attach kprobe:vfs_read: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("tracepoint"), std::string::npos) << msg;
  }

  p.programs = {begin};
  codegen::ProgramDesc uprobe;
  uprobe.provider = "uprobe";
  uprobe.probe_name = "uprobe:/bin/sh:main";
  p.programs.push_back(uprobe);
  try {
    runtime::check_attachable(p);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "cannot attach uprobe:/bin/sh:main: tracelet cannot attach uprobe "
                           "probes yet");
  }
}
