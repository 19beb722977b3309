// Every probe kind on the real kernel: uprobes on a test binary the build makes
// (tl_uprobe_target), raw tracepoints, perf events, and the kinds this kernel cannot attach
// (kprobe, fentry, hardware): loaded with --dry-run, refused with one line otherwise.
#include "uprobe_target.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>

using namespace tracelet::test;

extern char** environ;

namespace {

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool kernel_has_kprobes() {
  return file_exists("/sys/bus/event_source/devices/kprobe");
}

} // namespace

TEST(Uprobe, ArgumentsFromRegisters) {
  REQUIRE_BPF();
  auto r = trace_uprobe_target("uprobe:" + uprobe_target() + R"(:tl_sum6 {
      printf("%d %d %d %d %d %d\n", arg0, arg1, arg2, arg3, arg4, arg5); }
    uprobe:)" + uprobe_target() + R"(:tl_add { @adds[arg1] = count(); })",
                               3);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("Attaching 3 probes...\n"), std::string::npos) << r.out;
  size_t n = 0;
  for (size_t pos = 0; (pos = r.out.find("1 2 3 4 5 6\n", pos)) != std::string::npos; ++pos)
    ++n;
  EXPECT_EQ(n, 3u) << r.out;
  EXPECT_NE(r.out.find("@adds[100]: 3\n"), std::string::npos) << r.out;
}

TEST(Uprobe, UretprobeRetvalAndFunc) {
  REQUIRE_BPF();
  auto r = trace_uprobe_target("uretprobe:" + uprobe_target() + R"(:tl_square {
      printf("%s returned %d\n", func, retval); })",
                               3);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("tl_square returned 49\n"), std::string::npos) << r.out;
}

TEST(Uprobe, StrOfAnArgumentReadsUserMemory) {
  REQUIRE_BPF();
  auto r = trace_uprobe_target("uprobe:" + uprobe_target() +
                                   R"(:tl_greet { printf("<%s>\n", str(arg0)); }
    uretprobe:)" + uprobe_target() +
                                   R"(:tl_greet { printf("len %d\n", retval); })",
                               1);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("<tracelet>\nlen 8\n"), std::string::npos) << r.out;
}

TEST(Uprobe, WildcardOverTheBinarysSymbols) {
  REQUIRE_BPF();
  auto r = trace_uprobe_target(
      "uprobe:" + uprobe_target() + R"(:tl_* { @[func, probe] = count(); })", 2);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("Attaching 5 probes...\n"), std::string::npos) << r.out;
  for (const char* fn : {"tl_add", "tl_sum6", "tl_square", "tl_greet"})
    EXPECT_NE(
        r.out.find(std::string("@[") + fn + ", uprobe:" + uprobe_target() + ":" + fn + "]: 2\n"),
        std::string::npos)
        << fn << "\n"
        << r.out;
}

TEST(Uprobe, LibraryByNameAndOffset) {
  REQUIRE_BPF();
  // getpid in libc, found through the ld.so cache; the target calls it once per round.
  auto r =
      trace_uprobe_target(R"(uprobe:libc:getpid /comm == "tl_uprobe_targe"/ { @[probe] = count(); }
    uprobe:)" + uprobe_target() +
                              R"(:tl_add+0 { @plus0 = count(); })",
                          3);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(@\[uprobe:/[^\]]*libc\.so[^\]]*:getpid\]: 3\n)")))
      << r.out;
  EXPECT_NE(r.out.find("@plus0: 3\n"), std::string::npos) << r.out;
}

TEST(Uprobe, PidLimitsTheProbeToOneProcess) {
  REQUIRE_BPF();
  StdinTarget traced(uprobe_target()); // calls its functions once per byte
  ASSERT_GT(traced.pid(), 0);
  auto r =
      trace_while("uprobe:" + uprobe_target() + ":tl_add { @[pid] = count(); }",
                  [&] {
                    run_command({uprobe_target(), "calls", "5"}); // another process: not counted
                    traced.send("x");
                    traced.send("x");
                    usleep(200 * 1000);
                  },
                  {"-p", std::to_string(traced.pid())});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@[" + std::to_string(traced.pid()) + "]: 2\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("]: 5\n"), std::string::npos) << r.out;
}

TEST(Uprobe, MissingFunctionIsLocated) {
  auto r = run_tracelet({"-e", "uprobe:" + uprobe_target() + ":tl_nope { }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:1: error: function 'tl_nope' not found in " + uprobe_target() + "\n" +
                       "uprobe:" + uprobe_target() + ":tl_nope { }\n" + "^" +
                       std::string(("uprobe:" + uprobe_target() + ":tl_nope").size() - 1, '~') +
                       "\n");
}

TEST(RawTracepoint, SysEnterArgs) {
  REQUIRE_BPF();
  // arg1 of sys_enter is the syscall number; 39 is getpid on x86-64.
  auto r =
      trace_uprobe_target(R"(rawtracepoint:sys_enter /comm == "tl_uprobe_targe" && arg1 == 39/ {
      @getpid = count(); })",
                          3);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@getpid: 3\n"), std::string::npos) << r.out;
}

TEST(PerfEvents, ProfileAndSoftwareCpuClockFire) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(profile:hz:99 { @p = count(); }
      software:cpu-clock:1000000 { @s = count(); }
      interval:ms:300 { exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(@p: (\d+)\n)"))) << r.out;
  EXPECT_GT(std::stoul(m[1]), 0u);
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(@s: (\d+)\n)"))) << r.out;
  EXPECT_GT(std::stoul(m[1]), 0u);
}

TEST(PerfEvents, HardwareWithoutPmuIsOneClearLine) {
  REQUIRE_BPF();
  if (file_exists("/sys/bus/event_source/devices/cpu"))
    GTEST_SKIP() << "this machine has a hardware PMU; the refusal cannot be shown here";
  auto r = run_tracelet({"-e", "hardware:cycles:100000 { @ = count(); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "stdin:1:1: error: hardware:cycles:100000 cannot attach: this machine has no hardware "
            "performance counters (no PMU is exposed to this kernel); try "
            "software:cpu-clock or profile:hz:99\n");
}

TEST(Kprobe, DryRunLoadsKprobeAndKretprobe) {
  REQUIRE_BPF();
  auto r = run_tracelet({"--dry-run", "-e", R"(kprobe:do_nanosleep { @[arg0, func] = count(); }
      kretprobe:do_nanosleep { @r[func] = sum(retval); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST(Kprobe, WithoutKprobesStopsWithOneLineBeforeAttaching) {
  REQUIRE_BPF();
  if (kernel_has_kprobes()) GTEST_SKIP() << "this kernel has kprobes; nothing to refuse";
  auto r = run_tracelet({"-v", "-e", R"(tracepoint:syscalls:sys_enter_getppid { @ = count(); }
kprobe:do_sys_openat2 { @k[func] = count(); })"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "") << "nothing may be attached";
  EXPECT_EQ(r.err.find("tracelet: attached"), std::string::npos) << r.err;
  std::string line = "stdin:2:1: error: kprobe:do_sys_openat2 cannot attach: this kernel has no "
                     "kprobes (CONFIG_KPROBES off) and refuses fentry; try "
                     "tracepoint:syscalls:sys_enter_openat\n";
  EXPECT_NE(r.err.find(line), std::string::npos) << r.err;

  auto quiet = run_tracelet({"-e", "kprobe:do_sys_openat2 { }"});
  EXPECT_EQ(quiet.exit_status, 1);
  EXPECT_EQ(quiet.err, "stdin:1:1: error: kprobe:do_sys_openat2 cannot attach: this kernel has "
                       "no kprobes (CONFIG_KPROBES off) and refuses fentry; try "
                       "tracepoint:syscalls:sys_enter_openat\n");
}

// fentry/fexit with arguments typed from BTF and fexit's retval: --dry-run loads every
// program; where the kernel refuses fentry (EPERM here), each fentry/fexit program is named
// as not verified, the rest still is, and the run succeeds.
TEST(Fentry, DryRunWithTypedArgsAndRetval) {
  REQUIRE_BPF();
  auto r = run_tracelet({"--dry-run", "-e",
                         R"(tracepoint:syscalls:sys_enter_getppid { @t = count(); }
fentry:vfs_read { @[args.count, str(args.buf)] = sum(args.file->f_flags); }
kretfunc:vfs_read { @r = hist(retval); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  if (!r.err.empty()) // this kernel refuses fentry: both named, nothing else
    EXPECT_EQ(r.err, "tracelet: warning: fentry:vfs_read not verified: this kernel refuses "
                     "fentry/fexit programs (load fails with EPERM); try "
                     "tracepoint:syscalls:sys_enter_read\n"
                     "tracelet: warning: fexit:vfs_read not verified: this kernel refuses "
                     "fentry/fexit programs (load fails with EPERM); try "
                     "tracepoint:syscalls:sys_enter_read\n");
}

// USDT probes from a binary's SystemTap notes; Debian's python3 has gc__start/gc__done behind
// a semaphore, which the kernel must raise (ref_ctr_offset) for them to fire at all.
// gc__start's argument ("-4@112(%rsp)", read from the stack) is the generation collected:
// gc.collect() collects generation 2.
TEST(Usdt, ProbesWithASemaphoreFireAndReadTheirArguments) {
  REQUIRE_BPF();
  const std::string python = "/usr/bin/python3";
  if (!file_exists(python)) GTEST_SKIP() << python << " is not installed";
  auto r =
      trace_while("usdt:" + python +
                      ":gc__* /comm == \"python3\"/ { @[probe] = count(); }"
                      " usdt:" +
                      python + ":python:gc__start /comm == \"python3\"/ { @gen[arg0] = count(); }",
                  {python, "-S", "-c", "import gc\nfor i in range(5): gc.collect()"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("Attaching 4 probes...\n"), std::string::npos) << r.out << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.out, m, std::regex(R"(@\[usdt:/usr/bin/python3:python:gc__start\]: (\d+))")))
      << r.out << r.err;
  EXPECT_GE(std::stoi(m[1]), 5) << r.out; // five explicit collections, maybe more automatic
  EXPECT_NE(r.out.find("@[usdt:/usr/bin/python3:python:gc__done]: "), std::string::npos);
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(@gen\[2\]: (\d+))"))) << r.out;
  EXPECT_GE(std::stoi(m[1]), 5) << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(^(@gen\[[012]\]: \d+\n)+)", std::regex::multiline)))
      << "generations are 0, 1 or 2:\n"
      << r.out;
}

TEST(Usdt, UnknownProbeIsALocatedError) {
  REQUIRE_BPF();
  if (!file_exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  auto r = run_tracelet({"-e", "usdt:/usr/bin/python3:python:no_such_probe { }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:1: error: no USDT probe in /usr/bin/python3 matches "
                   "'python:no_such_probe'\n"
                   "usdt:/usr/bin/python3:python:no_such_probe { }\n"
                   "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}
