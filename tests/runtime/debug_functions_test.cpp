// debugf() into the kernel's trace buffer, strerror() of a real syscall's error, -kk on reads
// of missing map elements and delete() of keyless aggregations, on the real kernel.
#include "harness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace tracelet::test;

namespace {

// The tracefs `trace` file (read without consuming it), or "" if tracefs is not mounted.
std::string trace_file() {
  for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    std::string path = std::string(dir) + "/trace";
    if (std::ifstream(path).good()) return path;
  }
  return "";
}

} // namespace

// debugf() lines land in the trace buffer (bpf_trace_printk), formatted by the kernel; stdout
// only carries the program's own output.
TEST(DebugFunctions, DebugfWritesTheTraceBuffer) {
  REQUIRE_BPF();
  std::string trace = trace_file();
  if (trace.empty()) GTEST_SKIP() << "tracefs is not mounted (no /sys/kernel/tracing/trace)";
  std::string tracing_on = read_file(trace.substr(0, trace.rfind('/')) + "/tracing_on");
  if (tracing_on.rfind("0", 0) == 0) GTEST_SKIP() << "tracing is off (tracing_on is 0)";
  std::string marker = "tl-funcs-debugf-" + std::to_string(getpid());
  auto r = run_tracelet({"-q", "-e",
                         "BEGIN { debugf(\"" + marker +
                             " %d %s %lx\\n\", -5, \"abc\", 255); "
                             "printf(\"done\\n\"); } "
                             "interval:ms:100 { debugf(\"" +
                             marker + " tick %d\", 7); exit(); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "done\n\n\n");
  EXPECT_NE(r.err.find("warning: debugf() writes to the kernel's trace buffer"), std::string::npos)
      << r.err;
  // The kernel writes the line synchronously; allow a few seconds on a loaded machine.
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text = read_file(trace);
    if (text.find(marker + " tick ") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(text.find("bpf_trace_printk: " + marker + " -5 abc ff\n"), std::string::npos)
      << "no debugf line in " << trace;
  EXPECT_NE(text.find("bpf_trace_printk: " + marker + " tick 7\n"), std::string::npos);
}

// strerror() of the error a failing openat returns, read from its sys_exit tracepoint.
TEST(DebugFunctions, StrerrorOfASyscallError) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-c", "/bin/cat /nonexistent-tl-funcs-file", "-e",
                         "tracepoint:syscalls:sys_exit_openat /pid == cpid && args.ret < 0/ "
                         "{ printf(\"%d %s\\n\", -args.ret, strerror(-args.ret)); "
                         "@e[strerror(-args.ret)] = count(); exit(); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("2 No such file or directory\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@e[No such file or directory]: "), std::string::npos) << r.out;
}

// -kk: a read of a map element that is not there is a located warning on the output stream,
// as bpftrace 0.17's "Failed to map_lookup_elem: 0"; -k alone says nothing about it.
TEST(DebugFunctions, KkWarnsOnMissingMapElements) {
  REQUIRE_BPF();
  const std::string prog = R"(BEGIN { @m[1] = 1; printf("%d\n", @m[2]); $x = @m[1]; exit(); })";
  auto kk = run_tracelet({"-q", "-kk", "-e", prog});
  ASSERT_EQ(kk.exit_status, 0) << kk.err;
  EXPECT_EQ(kk.out, "stdin:1:35: warning: Failed to map_lookup_elem: no such element (0)\n"
                    "BEGIN { @m[1] = 1; printf(\"%d\\n\", @m[2]); $x = @m[1]; exit(); }\n"
                    "                                  ^~~~~\n"
                    "0\n\n\n@m[1]: 1\n");
  auto k = run_tracelet({"-q", "-k", "-e", prog});
  EXPECT_EQ(k.out, "0\n\n\n@m[1]: 1\n");
  auto json = run_tracelet({"-q", "-kk", "-f", "json", "-e", prog});
  EXPECT_NE(json.out.find(R"({"type": "helper_error", "helper": "map_lookup_elem", "retcode": 0)"),
            std::string::npos)
      << json.out;
}

// delete(@) of a keyless aggregation resets it: later updates count from zero.
TEST(DebugFunctions, DeleteResetsKeylessAggregations) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-e",
                         "BEGIN { @c = count(); @c = count(); @h = hist(3); @s = stats(7); "
                         "delete(@c); delete(@h); delete(@s); } "
                         "interval:s:1 { @c = count(); @h = hist(100); @s = stats(1); exit(); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "\n\n@c: 1\n@h: \n[64, 128)              1 "
                   "|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n"
                   "@s: count 1, average 1, total 1\n\n");
}

// reg("di") and sarg0/sarg1 in a uprobe on a function with 8 integer arguments: the first six
// travel in registers (rdi = the first), the last two on the stack.
TEST(DebugFunctions, RegAndStackArgumentsInAUprobe) {
  REQUIRE_BPF();
  std::string target = TL_UPROBE_TARGET;
  auto r = run_tracelet({"-q", "-c", target + " calls 1", "-e",
                         "uprobe:" + target +
                             ":tlx_sum8 /pid == cpid/ { printf(\"%d %d %d %d %d\\n\", "
                             "reg(\"di\"), arg5, sarg0, sarg1, reg(\"sp\") != 0); exit(); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "1 6 70 80 1\n\n\n");
}
