// Runs the real tracelet binary as a child process and collects what it prints.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tracelet::test {

struct RunResult {
  int exit_status = -1; // exit code, or 128 + signal if killed
  std::string out, err;
  bool timed_out = false;
};

struct RunSpec {
  std::vector<std::string> args; // arguments after the binary name
  // Called once tracelet's stdout contains `ready_marker` (e.g. a BEGIN printf): the probes
  // are attached by then. The workload runs there; then `stop_signal` is sent (0: none, wait
  // for tracelet to exit by itself).
  std::string ready_marker;
  std::function<void()> workload;
  int stop_signal = 0;
  std::chrono::milliseconds timeout{20000};
};

RunResult run_tracelet(const RunSpec& spec);
RunResult run_tracelet(std::vector<std::string> args); // no workload, waits for exit

// tracelet with `args`: once its stdout shows `ready_marker` (a tool's BEGIN header), runs
// `workload`, then stops tracelet with SIGINT.
RunSpec interrupt_after(std::vector<std::string> args, std::string ready_marker,
                        std::function<void()> workload);

// What scripts print from BEGIN to say that every probe is attached.
inline constexpr const char* kReadyLine = "tracelet-ready\n";

// `options`, then -e with `script` behind a BEGIN probe that prints kReadyLine; once it is
// printed, runs `workload`, then stops tracelet with SIGINT.
RunSpec ready_spec(const std::string& script, std::function<void()> workload,
                   std::vector<std::string> options = {});

// Runs ready_spec: `workload` is a function, or a command run to completion.
RunResult trace_while(const std::string& script, std::function<void()> workload,
                      std::vector<std::string> options = {});
RunResult trace_while(const std::string& script, const std::vector<std::string>& workload,
                      std::vector<std::string> options = {});

// The same without SIGINT: the script ends itself (exit()) once the workload ran.
RunResult trace_until_exit(const std::string& script, std::function<void()> workload,
                           std::vector<std::string> options = {});
RunResult trace_until_exit(const std::string& script, const std::vector<std::string>& workload,
                           std::vector<std::string> options = {});

// Runs a command to completion (workloads, bpftool); returns its exit status.
int run_command(const std::vector<std::string>& argv, std::string* out = nullptr);

std::string workload_binary(); // path of tl_workload
// bpftrace 0.17 to compare with: $TRACELET_REFERENCE_BPFTRACE, else /usr/bin/bpftrace; "" if
// neither is there (the comparisons are then skipped).
std::string reference_bpftrace();
std::string tracelet_binary();

// GTEST_SKIP()s with the reason unless we are root with BPF available.
bool can_run_bpf(std::string* reason);

// Number of BPF links currently in the kernel (to check that nothing is left attached).
int count_bpf_links();

// The whole content of a file ("" if it cannot be read).
std::string read_file(const std::string& path);

// The lines of `text`, without their '\n'.
std::vector<std::string> lines_of(const std::string& text);

// How many times `what` occurs in `text` (without overlaps).
size_t count_of(const std::string& text, const std::string& what);

// Makes `dir` the current directory (of this process and so of the tools it runs) while it
// lives.
class ScopedCwd {
public:
  explicit ScopedCwd(const std::filesystem::path& dir);
  ~ScopedCwd();
  ScopedCwd(const ScopedCwd&) = delete;
  ScopedCwd& operator=(const ScopedCwd&) = delete;

private:
  std::filesystem::path old_;
};

// A test binary started as `PATH stdin`: it acts on each byte written to it (the workload
// targets' "stdin" mode), so a test can trace a process that is already running (-p). On
// destruction its stdin closes (it exits), it is continued if a test left it stopped, and
// reaped.
class StdinTarget {
public:
  explicit StdinTarget(const std::string& path);
  ~StdinTarget();
  StdinTarget(const StdinTarget&) = delete;
  StdinTarget& operator=(const StdinTarget&) = delete;
  pid_t pid() const { return pid_; }
  void send(const std::string& bytes);
  // The process state letter from /proc/PID/stat ('S' sleeping, 'T' stopped, ...).
  char state() const;

private:
  pid_t pid_ = -1;
  int write_fd_ = -1;
};

} // namespace tracelet::test

#define REQUIRE_BPF()                                                                              \
  do {                                                                                             \
    std::string why_;                                                                              \
    if (!tracelet::test::can_run_bpf(&why_)) GTEST_SKIP() << why_;                                 \
  } while (0)
