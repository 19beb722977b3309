// Probes that share an event run in program order (issue 10, item 12): the kernel runs the
// programs of one tracepoint in the order they were attached, tracelet attaches them in the
// order they are written, and the syscall dispatcher (one raw_tp program for several syscall
// tracepoints, codegen/syscall_dispatch.cpp) gives up a syscall that another probe traces
// with a program of its own, so that both run from the same tracepoint, in order.
// bpftrace 0.17 runs two probes on one tracepoint in program order too; it attaches a probe
// that lists one tracepoint twice twice (and then runs the wrong program for it), and fails
// to load a list and a single probe on one syscall; tracelet attaches a repeated tracepoint
// once. 110 is getppid's x86-64 syscall number (args.__syscall_nr).
#include "harness.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

using namespace tracelet::test;

namespace {

// The lines of `out` that start with a digit (the probes' printf lines).
std::vector<std::string> probe_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] >= '0' && line[0] <= '9') lines.push_back(line);
  return lines;
}

std::vector<std::string> repeated(const std::vector<std::string>& round, int times) {
  std::vector<std::string> all;
  for (int i = 0; i < times; ++i)
    all.insert(all.end(), round.begin(), round.end());
  return all;
}

// Five probes on sys_enter_getppid: single tracepoints, a list (which the dispatcher would
// take) and a wildcard (dispatched, but not for getppid), and getppid listed twice.
const char* kGetppidProbes = R"(
  tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("1\n"); }
  tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("2\n"); }
  tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_getpid
    /pid == cpid && args.__syscall_nr == 110/ { printf("3 %s\n", probe); }
  tracepoint:syscalls:sys_enter_get*
    /pid == cpid && args.__syscall_nr == 110/ { printf("4 %s\n", probe); }
  tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_getppid
    /pid == cpid/ { printf("5\n"); }
)";

const std::vector<std::string> kGetppidRound = {"1", "2", "3 tracepoint:syscalls:sys_enter_getppid",
                                                "4 tracepoint:syscalls:sys_enter_getppid", "5"};

TEST(ProbeOrder, SyscallTracepointProbesRunInProgramOrder) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-c", workload_binary() + " getppid 3", "-e", kGetppidProbes});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(probe_lines(r.out), repeated(kGetppidRound, 3)) << r.out;
}

TEST(ProbeOrder, SameOrderWithoutTheDispatcher) {
  REQUIRE_BPF();
  setenv("TRACELET_SYSCALL_DISPATCH", "0", 1);
  auto r = run_tracelet({"-q", "-c", workload_binary() + " getppid 3", "-e", kGetppidProbes});
  unsetenv("TRACELET_SYSCALL_DISPATCH");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(probe_lines(r.out), repeated(kGetppidRound, 3)) << r.out;
}

TEST(ProbeOrder, DispatchedProbesRunInProgramOrder) {
  REQUIRE_BPF();
  // Three probes that all go through dispatchers (raw_tp sys_enter), one of them a wildcard.
  auto r = run_tracelet({"-q", "-c", workload_binary() + " getppid 2", "-e", R"(
      tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_getpid
        /pid == cpid && args.__syscall_nr == 110/ { printf("1\n"); }
      tracepoint:syscalls:sys_enter_get*
        /pid == cpid && args.__syscall_nr == 110/ { printf("2\n"); }
      tracepoint:syscalls:sys_enter_getpid, tracepoint:syscalls:sys_enter_getppid
        /pid == cpid && args.__syscall_nr == 110/ { printf("3\n"); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(probe_lines(r.out), repeated({"1", "2", "3"}, 2)) << r.out;
}

TEST(ProbeOrder, DispatcherGivesUpSharedSyscallsOnly) {
  // -v names each program as it attaches: the wildcard keeps its dispatcher for the other
  // syscalls, and getppid (traced by a probe of its own) gets a tracepoint program in both.
  REQUIRE_BPF();
  auto r = run_tracelet({"-v", "-c", workload_binary() + " getppid 1", "-e", R"(
      tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("1\n"); }
      tracepoint:syscalls:sys_enter_get* /pid == cpid/ { printf("2\n"); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("tracelet: attached tracepoint:syscalls:sys_enter_* ("), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("syscalls on raw_tracepoint:sys_enter)\n"), std::string::npos) << r.err;
  size_t own = 0;
  const std::string line = "tracelet: attached tracepoint:syscalls:sys_enter_getppid\n";
  for (size_t at = r.err.find(line); at != std::string::npos; at = r.err.find(line, at + 1))
    ++own;
  EXPECT_EQ(own, 2u) << r.err;
  EXPECT_EQ(probe_lines(r.out), (std::vector<std::string>{"1", "2"})) << r.out;
}

// `<attach point> { printf("<line>\n"); }`, one probe of a program that prints its place.
std::string printing_probe(const std::string& attach_point, const std::string& line) {
  return attach_point + " { printf(\"" + line + "\\n\"); }\n";
}

TEST(ProbeOrder, UprobesUretprobesAndUsdtOnOneAddressRunInProgramOrder) {
  // The kernel runs the consumers of one uprobe newest first; bpftrace 0.17 runs them in
  // program order (its runtime test probe.uprobe_order), and so must we.
  REQUIRE_BPF();
  const std::string square = std::string(TL_UPROBE_TARGET) + ":tl_square";
  auto u = run_tracelet(
      {"-q", "-c", std::string(TL_UPROBE_TARGET) + " calls 2", "-e",
       printing_probe("uprobe:" + square, "1") + printing_probe("uprobe:" + square, "2") +
           printing_probe("uretprobe:" + square, "3") + printing_probe("uretprobe:" + square, "4") +
           printing_probe("uprobe:" + square, "5")});
  ASSERT_EQ(u.exit_status, 0) << u.err;
  EXPECT_EQ(probe_lines(u.out), repeated({"1", "2", "5", "3", "4"}, 2)) << u.out;

  const std::string wide = "usdt:" + std::string(TL_USDT_TARGET) + ":tl:wide";
  auto d = run_tracelet(
      {"-q", "-c", std::string(TL_USDT_TARGET) + " 2", "-e",
       printing_probe(wide, "1") + printing_probe(wide, "2") + printing_probe(wide, "3")});
  ASSERT_EQ(d.exit_status, 0) << d.err;
  EXPECT_EQ(probe_lines(d.out), repeated({"1", "2", "3"}, 2)) << d.out;
}

TEST(ProbeOrder, BeginRunsBeforeTheOtherProbesAttach) {
  // bpftrace 0.17 runs BEGIN first: a busy tracepoint never sees BEGIN's map unset, and an
  // interval's first tick comes a whole period after BEGIN (its runtime test call.printf_llu).
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(
      BEGIN { @start = nsecs; }
      tracepoint:raw_syscalls:sys_enter /@start == 0/ { @early = count(); }
      interval:ms:200 { printf("elapsed %d\n", (nsecs - @start) / 1000000 >= 200); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("elapsed 1\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("@early: "), r.out.find("@early: 0\n")) << r.out;
}

} // namespace
