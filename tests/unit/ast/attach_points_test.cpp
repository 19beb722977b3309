// Attach points: alias canonicalisation, the split into target/func/freq/offset, and the
// shape checks.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;

// "provider|target|func|freq|offset|expand" for every attach point of every probe.
std::vector<std::string> resolved(const std::string& source) {
  auto a = analyse(source);
  EXPECT_TRUE(a->ok) << a->errors();
  std::vector<std::string> out;
  if (!a->program) return out;
  for (const auto& probe : a->program->probes)
    for (const auto& ap : probe->attach_points)
      out.push_back(ap->provider + "|" + ap->target + "|" + ap->func + "|" +
                    std::to_string(ap->freq) + "|" + std::to_string(ap->offset) + "|" +
                    (ap->need_expansion ? "expand" : "exact"));
  return out;
}

TEST(AttachPoints, ShortAliasesBecomeCanonicalProviders) {
  EXPECT_EQ(resolved("t:syscalls:sys_enter_read, i:ms:100, p:hz:99, k:vfs_read+16, "
                     "kr:vfs_read, u:/bin/bash:readline, ur:/bin/bash:readline {}"),
            (std::vector<std::string>{
                "tracepoint|syscalls|sys_enter_read|0|0|exact",
                "interval|ms||100|0|exact",
                "profile|hz||99|0|exact",
                "kprobe||vfs_read|0|16|exact",
                "kretprobe||vfs_read|0|0|exact",
                "uprobe|/bin/bash|readline|0|0|exact",
                "uretprobe|/bin/bash|readline|0|0|exact",
            }));
}

TEST(AttachPoints, FunctionAliasesAndPerfEvents) {
  EXPECT_EQ(resolved("f:vfs_read, kfunc:vfs_write, fr:vfs_read, kretfunc:mod:vfs_write, "
                     "rt:sched_switch, s:cpu-clock:1000, h:cycles, U:/bin/x:prov:probe, "
                     "usdt:/bin/x:other, u:/bin/x:f+0x10 {}"),
            (std::vector<std::string>{
                "fentry||vfs_read|0|0|exact",
                "fentry||vfs_write|0|0|exact",
                "fexit||vfs_read|0|0|exact",
                "fexit|mod|vfs_write|0|0|exact",
                "rawtracepoint||sched_switch|0|0|exact",
                "software|cpu-clock||1000|0|exact",
                "hardware|cycles||0|0|exact",
                "usdt|/bin/x|prov:probe|0|0|exact",
                "usdt|/bin/x|other|0|0|exact",
                "uprobe|/bin/x|f|0|16|exact",
            }));
}

TEST(AttachPoints, BeginEndAndIntervalUnits) {
  EXPECT_EQ(resolved("BEGIN {} END {} interval:s:5 {} interval:us:250 {} i:hz:4 {}"),
            (std::vector<std::string>{
                "BEGIN|||0|0|exact",
                "END|||0|0|exact",
                "interval|s||5|0|exact",
                "interval|us||250|0|exact",
                "interval|hz||4|0|exact",
            }));
}

TEST(AttachPoints, CountsTakeEveryIntegerLiteralForm) {
  // As bpftrace 0.17 (the man page's `hardware:cache-misses:1e6`); the name shows the value.
  EXPECT_EQ(resolved("i:ms:1e2 {} p:hz:0x63 {} s:cpu-clock:1_000_000 {} i:ms:010 {} "
                     "h:cache-misses:1e6 {} i:s:5u {}"),
            (std::vector<std::string>{
                "interval|ms||100|0|exact",
                "profile|hz||99|0|exact",
                "software|cpu-clock||1000000|0|exact",
                "interval|ms||8|0|exact",
                "hardware|cache-misses||1000000|0|exact",
                "interval|s||5|0|exact",
            }));
  for (const char* bad : {"i:ms:0 {}", "i:ms:12e1 {}", "i:ms:1e17 {}", "s:cpu:x {}", "i:ms:5x {}"})
    EXPECT_FALSE(analyse(bad)->ok) << bad;
}

TEST(AttachPoints, WildcardsInCategoryOrNameNeedExpansion) {
  EXPECT_EQ(resolved("tracepoint:sched:sched_*, t:sys?alls:sys_enter_read {}"),
            (std::vector<std::string>{
                "tracepoint|sched|sched_*|0|0|expand",
                "tracepoint|sys?alls|sys_enter_read|0|0|expand",
            }));
}

TEST(AttachPoints, CanonicalNameIsWhatTheProbeBuiltinShows) {
  auto a = analyse("t:syscalls:sys_enter_read, i:s:1, BEGIN {}");
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& expanded = a->program->probes[0]->expanded;
  ASSERT_EQ(expanded.size(), 3u);
  EXPECT_EQ(expanded[0]->name(), "tracepoint:syscalls:sys_enter_read");
  EXPECT_EQ(expanded[1]->name(), "interval:s:1");
  EXPECT_EQ(expanded[2]->name(), "BEGIN");
}

} // namespace
