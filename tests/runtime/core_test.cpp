// Issue 2's one-liners, run for real on this kernel.
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

using namespace tracelet::test;

TEST(Core, HelloWorld) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(BEGIN { printf("hello %d %s\n", 42, "world"); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("hello 42 world\n"), std::string::npos) << r.out;
  // No false alarm on a clean run (bpftrace 0.17 prints a bogus RLIMIT_MEMLOCK ERROR here).
  EXPECT_EQ(r.err, "");
}

TEST(Core, OpenatFilenameAndComm) {
  REQUIRE_BPF();
  std::string path = "/tmp/tracelet-openat-" + std::to_string(getpid());
  auto r = trace_while(R"(tracepoint:syscalls:sys_enter_openat
                          { printf("%s %s\n", comm, str(args.filename)); })",
                       {workload_binary(), "open", path});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("tl_workload " + path + "\n"), std::string::npos) << r.out;
}

TEST(Core, OldStyleArgsArrow) {
  REQUIRE_BPF();
  std::string path = "/tmp/tracelet-arrow-" + std::to_string(getpid());
  auto r = trace_while(R"(tracepoint:syscalls:sys_enter_openat
                          /comm == "tl_workload"/ { printf("%s\n", str(args->filename)); })",
                       {workload_binary(), "open", path});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find(path + "\n"), std::string::npos) << r.out;
}

TEST(Core, CountByCommIsExact) {
  REQUIRE_BPF();
  auto r = trace_while(R"(tracepoint:syscalls:sys_enter_getppid
                          /comm == "tl_workload"/ { @[comm] = count(); })",
                       {workload_binary(), "getppid", "1234"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@[tl_workload]: 1234\n"), std::string::npos) << r.out;
}

TEST(Core, WildcardTracepointsWithPidFilterAndInterval) {
  REQUIRE_BPF();
  // The pid is our own: the test process makes getppid calls while tracelet runs.
  std::string prog = "tracepoint:syscalls:sys_enter_* /pid == " + std::to_string(getpid()) +
                     R"(/ { @[probe] = count(); } interval:ms:700 { exit(); })";
  RunSpec spec = ready_spec(prog, [] {
    for (int i = 0; i < 77; ++i)
      getppid();
  });
  spec.stop_signal = 0; // interval ends the run
  // Detaching ~360 tracepoints takes the kernel one RCU grace period each under a global mutex
  // (some 20 s on a loaded machine), whatever the number of threads closing them.
  spec.timeout = std::chrono::seconds(90);
  auto r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@[tracepoint:syscalls:sys_enter_getppid]: 77\n"), std::string::npos)
      << r.out;
}

TEST(Core, SigtermPrintsMapsDetachesAndExitsZero) {
  REQUIRE_BPF();
  int links_before = count_bpf_links();
  RunSpec spec;
  spec.args = {"-e", R"(BEGIN { @start = 1; @hist = hist(5); printf("tracelet-ready\n"); })"
                     R"( tracepoint:sched:sched_process_exec { @execs = count(); })"};
  spec.ready_marker = kReadyLine;
  spec.stop_signal = SIGTERM;
  auto r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("@start: 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@hist: \n[4, 8)"), std::string::npos) << r.out;
  EXPECT_EQ(count_bpf_links(), links_before) << "links left attached";
}

TEST(Core, ExecutableScriptWithShebang) {
  REQUIRE_BPF();
  char dir[] = "/tmp/tracelet-script-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string script = std::string(dir) + "/hello.bt";
  {
    std::ofstream f(script);
    f << "#!/usr/bin/env tracelet\n"
         "BEGIN { printf(\"from a script: %d\\n\", 7); exit(); }\n";
  }
  chmod(script.c_str(), 0755);
  // Link the binary into the script's directory and put that first on PATH, as an installed
  // tracelet would be.
  std::string bin_dir = std::string(dir);
  ASSERT_EQ(symlink(tracelet_binary().c_str(), (bin_dir + "/tracelet").c_str()), 0);
  std::string out;
  int status = run_command({"/usr/bin/env", "PATH=" + bin_dir + ":/usr/bin:/bin", script}, &out);
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("from a script: 7\n"), std::string::npos) << out;
  unlink((bin_dir + "/tracelet").c_str());
  unlink(script.c_str());
  rmdir(dir);
}

TEST(Core, SyntaxErrorIsLocatedWithCaret) {
  auto r = run_tracelet({"-e", "BEGIN { printf(\"x\") exit(); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(r.err.rfind("stdin:1:21: error: ", 0) == 0) << r.err;
  EXPECT_NE(r.err.find("BEGIN { printf(\"x\") exit(); }\n                    ^"), std::string::npos)
      << r.err;
}

TEST(Core, TypeErrorIsLocatedWithCaret) {
  REQUIRE_BPF(); // analysis may consult tracefs
  auto r = run_tracelet({"-e", "BEGIN { @x = 1; @x = \"str\"; }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(r.err.rfind("stdin:1:17: error: ", 0) == 0) << r.err;
  EXPECT_NE(r.err.find("\n                ^"), std::string::npos) << r.err;
}

TEST(Core, DryRunLoadsButAttachesNothing) {
  REQUIRE_BPF();
  int links_before = count_bpf_links();
  auto r = run_tracelet({"--dry-run", "-e",
                         R"(tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }
                            BEGIN { printf("never printed\n"); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.find("never printed"), std::string::npos) << r.out;
  EXPECT_EQ(count_bpf_links(), links_before);
}

TEST(Core, IntervalFires) {
  REQUIRE_BPF();
  auto r = run_tracelet(
      {"-e", R"(interval:ms:100 { @ticks = count(); if (elapsed > 350000000) { exit(); } })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("@ticks: (\\d+)\n"))) << r.out;
  int ticks = std::stoi(m[1]);
  EXPECT_GE(ticks, 3);
  EXPECT_LE(ticks, 6);
}

TEST(Core, BuiltinsMatchTheProcess) {
  REQUIRE_BPF();
  auto r = run_tracelet(
      {"-e",
       R"(BEGIN { printf("%d %d %d %d %s %d\n", pid, tid, uid, gid, comm, cpu < 1024); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("(\\d+) (\\d+) 0 0 tracelet 1\n"))) << r.out;
  EXPECT_EQ(m[1], m[2]);
}
