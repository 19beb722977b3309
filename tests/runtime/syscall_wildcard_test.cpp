// Syscall tracepoint wildcards and lists through one raw_tracepoint sys_enter/sys_exit program
// (codegen/syscall_dispatch.cpp): the same output as one tracepoint program per syscall
// (TRACELET_SYSCALL_DISPATCH=0), args decoded per syscall, `probe` naming each tracepoint, and
// attach and detach in well under a second.
#include "harness.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>

using namespace tracelet::test;

namespace {

// Runs `args` with the dispatcher on or off.
RunResult run_mode(bool dispatch, std::vector<std::string> args) {
  if (dispatch)
    unsetenv("TRACELET_SYSCALL_DISPATCH");
  else
    setenv("TRACELET_SYSCALL_DISPATCH", "0", 1);
  RunSpec spec;
  spec.args = std::move(args);
  spec.timeout = std::chrono::seconds(90);
  auto r = run_tracelet(spec);
  unsetenv("TRACELET_SYSCALL_DISPATCH");
  return r;
}

std::string missing_file() {
  return "/tmp/tracelet-output-" + std::to_string(getpid()) + "-missing";
}

// sys_enter_* and sys_exit_* together are 720 attach points: over bpftrace's default
// BPFTRACE_MAX_PROBES and BPFTRACE_MAX_BPF_PROGS (512), which tracelet honours as bpftrace
// does. Raised while a test runs.
struct MaxProbesRaised {
  MaxProbesRaised() {
    setenv("BPFTRACE_MAX_PROBES", "1000", 1);
    setenv("BPFTRACE_MAX_BPF_PROGS", "1000", 1);
  }
  ~MaxProbesRaised() {
    unsetenv("BPFTRACE_MAX_PROBES");
    unsetenv("BPFTRACE_MAX_BPF_PROGS");
  }
};

} // namespace

TEST(SyscallWildcard, WildcardCountsPerProbeNameForAKnownWorkload) {
  REQUIRE_BPF();
  MaxProbesRaised max_probes;
  int links_before = count_bpf_links();
  auto r = run_mode(true, {"-v", "-c", workload_binary() + " getppid 7", "-e",
                           R"(tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }
                              tracepoint:syscalls:sys_exit_* /pid == cpid/ { @x[probe] = count(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@[tracepoint:syscalls:sys_enter_getppid]: 7\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("@x[tracepoint:syscalls:sys_exit_getppid]: 7\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("@[tracepoint:syscalls:sys_enter_execve]: 1\n"), std::string::npos) << r.out;
  // One program per kind, each standing for every syscall of its wildcard.
  EXPECT_NE(r.err.find("attached tracepoint:syscalls:sys_enter_* ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("syscalls on raw_tracepoint:sys_enter)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("syscalls on raw_tracepoint:sys_exit)"), std::string::npos) << r.err;
  EXPECT_EQ(count_bpf_links(), links_before) << "links left attached";
}

TEST(SyscallWildcard, SameOutputAsOneTracepointProgramPerSyscall) {
  REQUIRE_BPF();
  // A list and wildcards of a few dozen syscalls, so that the per-syscall run detaches fast.
  std::vector<std::string> args = {
      "-c", workload_binary() + " open " + missing_file(), "-e",
      R"(tracepoint:syscalls:sys_enter_*at, tracepoint:syscalls:sys_enter_execve,
         tracepoint:syscalls:sys_enter_mmap, tracepoint:syscalls:sys_enter_close /pid == cpid/ {
           @[probe] = count(); @nr[probe, args.__syscall_nr] = count(); }
         tracepoint:syscalls:sys_exit_*at, tracepoint:syscalls:sys_exit_close /pid == cpid/ {
           @ret[probe, args.ret] = count(); })"};
  auto dispatched = run_mode(true, args);
  auto per_syscall = run_mode(false, args);
  EXPECT_EQ(dispatched.exit_status, 0) << dispatched.err;
  EXPECT_EQ(per_syscall.exit_status, 0) << per_syscall.err;
  EXPECT_EQ(dispatched.out, per_syscall.out);
  EXPECT_NE(dispatched.out.find("@nr[tracepoint:syscalls:sys_enter_openat, 257]: "),
            std::string::npos)
      << dispatched.out;
  EXPECT_NE(dispatched.out.find("@ret[tracepoint:syscalls:sys_exit_openat, -2]: 1\n"),
            std::string::npos)
      << dispatched.out;
}

TEST(SyscallWildcard, ArgsOfSeveralSyscallsDecodeUnderOneProbe) {
  REQUIRE_BPF();
  std::string file = missing_file();
  // filename is execve's first argument (di) and openat's second (si); flags is open's second
  // (si) and openat's third (dx).
  std::vector<std::string> args = {
      "-c", workload_binary() + " open " + file, "-e",
      R"(tracepoint:syscalls:sys_enter_execve, tracepoint:syscalls:sys_enter_openat
         /pid == cpid/ {
           printf("%s nr=%d file=%s\n", probe, args.__syscall_nr, str(args.filename)); }
         tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_open /pid == cpid/ {
           printf("%s flags=%d\n", str(args.filename), args.flags); })"};
  auto r = run_mode(true, args);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(
      r.out.find("tracepoint:syscalls:sys_enter_execve nr=59 file=" + workload_binary() + "\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("tracepoint:syscalls:sys_enter_openat nr=257 file=" + file + "\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(file + " flags=0\n"), std::string::npos) << r.out; // O_RDONLY
  // The dynamic loader opens its cache O_RDONLY | O_CLOEXEC.
  EXPECT_NE(r.out.find("/etc/ld.so.cache flags=524288\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out, run_mode(false, args).out);
}

TEST(SyscallWildcard, AttachAndDetachOf720SyscallsTakeUnderTwoSeconds) {
  REQUIRE_BPF();
  MaxProbesRaised max_probes;
  int links_before = count_bpf_links();
  auto start = std::chrono::steady_clock::now();
  auto r = run_mode(true, {"-e", R"(tracepoint:syscalls:sys_enter_* { @n = count(); }
                                    tracepoint:syscalls:sys_exit_* { @x = count(); }
                                    interval:ms:300 { exit(); })"});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("\n@n: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n@x: "), std::string::npos) << r.out;
  // One perf-event tracepoint per syscall took 15-30 s here; the 0.3 s of tracing and the
  // start-up leave plenty of room.
  EXPECT_LT(seconds, 2.0) << r.out;
  EXPECT_EQ(count_bpf_links(), links_before) << "links left attached";
}
