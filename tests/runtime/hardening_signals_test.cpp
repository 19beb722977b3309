// Exit paths and signals (issue 13, item 5; issue 10, item 13): SIGHUP ends a run as SIGTERM
// does, SIGUSR1 prints every map and the run goes on, and SIGINT during a flood of system()
// events still detaches at once and runs END.
#include "harness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace tracelet::test;

namespace {

// The tracelet this test process started (its own child): the workload sends it signals.
pid_t our_tracelet() {
  DIR* d = opendir("/proc");
  pid_t found = -1;
  while (dirent* e = d ? readdir(d) : nullptr) {
    pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos || line.find("(tracelet)") == std::string::npos) continue;
    char state;
    pid_t ppid;
    if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == getpid())
      found = pid;
  }
  if (d) closedir(d);
  return found;
}

} // namespace

TEST(ExitSignals, SighupRunsEndPrintsMapsAndDetaches) {
  REQUIRE_BPF();
  RunSpec spec = ready_spec(R"(
tracepoint:syscalls:sys_enter_getppid /comm == "tl_workload"/ { @calls = count(); }
END { printf("end ran\n"); })",
                            [] {
                              run_command({workload_binary(), "getppid", "7"});
                            });
  spec.stop_signal = SIGHUP;
  auto r = run_tracelet(spec);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("end ran\n\n\n@calls: 7\n"), std::string::npos) << r.out;
}

TEST(ExitSignals, Sigusr1PrintsAllMapsAndGoesOn) {
  REQUIRE_BPF();
  auto usr1_then_events = [] {
    pid_t pid = our_tracelet();
    ASSERT_GT(pid, 0);
    kill(pid, SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    run_command({workload_binary(), "getppid", "1"}); // still tracing after SIGUSR1
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  };
  // The ready line comes from the BEGIN that sets the maps, before SIGUSR1 prints them.
  auto r = run_tracelet(interrupt_after({"-e", R"(BEGIN { printf("ready\n"); @a = 1; @b[2] = 3; }
tracepoint:syscalls:sys_enter_getppid /comm == "tl_workload"/ { @a = 5; }
END { printf("end ran\n"); })"},
                                        "ready", usr1_then_events));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  // As bpftrace 0.17: on SIGUSR1 the maps in name order, without the two blank lines of exit.
  EXPECT_NE(r.out.find("ready\n@a: 1\n@b[2]: 3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("end ran\n\n\n@a: 5\n@b[2]: 3\n"), std::string::npos) << r.out;
}

TEST(ExitSignals, SigintDuringASystemFloodDetachesPromptlyAndRunsEnd) {
  REQUIRE_BPF();
  RunSpec spec =
      ready_spec(R"(
tracepoint:sched:sched_switch { system("true"); }
END { printf("end ran\n"); })",
                 [] { std::this_thread::sleep_for(std::chrono::seconds(2)); }, {"--unsafe"});
  spec.timeout = std::chrono::seconds(30);
  auto start = std::chrono::steady_clock::now();
  auto r = run_tracelet(spec);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.timed_out) << "SIGINT did not end the run";
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_NE(r.out.find("end ran\n"), std::string::npos);
}
