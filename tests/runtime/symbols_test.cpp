// kstack/ustack/ksym symbolized on this kernel, and the -l/-lv probe listing.
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <regex>

using namespace tracelet::test;

TEST(Symbols, KstackMapKeysAreSymbolizedKernelFrames) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", "tracepoint:sched:sched_switch { @[kstack] = count(); exit() }"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  // bpftrace 0.17: "@[\n    __schedule+1576\n    schedule+35\n...]: N". Once the tracepoint has
  // a second probe (ftrace records comms while any trace event is on, e.g. after a program
  // used bpf_trace_printk), the kernel calls it through __traceiter_sched_switch first, and
  // bpftrace prints that frame too.
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex(
          "@\\[\n(    __traceiter_sched_switch\\+[0-9]+\n)?    (__schedule|schedule)\\+[0-9]+\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n\\]: [0-9]+\n"))) << r.out;
}

TEST(Symbols, KstackInPrintfIndentsFramesByEight) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(tracepoint:sched:sched_switch { printf("<%s>\n", kstack(perf, 2));
                printf("[%s]\n", kstack(2)); exit() })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("<\n(\t[0-9a-f]{16} __traceiter_sched_switch\\+[0-9]+\n)?"
                                          "\t[0-9a-f]{16} (__schedule|schedule)\\+[0-9]+\n")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("\\[\n        [_a-z]+\\+[0-9]+\n        [_a-z]+\\+[0-9]+\n\\]")))
      << r.out;
}

TEST(Symbols, KsymNamesAKernelAddress) {
  REQUIRE_BPF();
  auto r =
      run_tracelet({"-e", R"(tracepoint:sched:sched_switch { @[ksym(0xffffffff81000000)] = count();
                                   exit() })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  // _stext and _text share the first kernel text address; either is the right name.
  EXPECT_TRUE(std::regex_search(r.out, std::regex("@\\[_s?text\\]: [0-9]+\n"))) << r.out;
}

TEST(Symbols, UstackOfTheWorkloadNamesLibcFrames) {
  REQUIRE_BPF();
  // The process must still exist when its frames are symbolized: it sleeps for 1.5 s.
  auto r = trace_until_exit(
      R"(tracepoint:syscalls:sys_enter_clock_nanosleep,tracepoint:syscalls:sys_enter_nanosleep
      /comm == "tl_workload"/ { printf("<%s>\n", ustack(1)); exit(); })",
      {workload_binary(), "sleep", "1500"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("<\n        [_A-Za-z]*nanosleep[_a-z0-9]*\\+[0-9]+\n>")))
      << r.out;
}

TEST(ProbeListing, SyscallOpenTracepoints) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-l", "tracepoint:syscalls:sys_enter_open*"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("tracepoint:syscalls:sys_enter_open\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tracepoint:syscalls:sys_enter_openat\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("sys_exit"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("    "), std::string::npos) << "no arguments without -v: " << r.out;
}

TEST(ProbeListing, VerboseShowsTracepointArguments) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-lv", "tracepoint:syscalls:sys_enter_openat"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "tracepoint:syscalls:sys_enter_openat\n    int __syscall_nr\n    int dfd\n"
                   "    const char * filename\n    int flags\n    umode_t mode\n");
}
