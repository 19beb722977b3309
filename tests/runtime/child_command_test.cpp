// -c CMD under load, with tracelet's stdout a regular file (as in a shell redirection or the
// docs test): the command's output and tracelet's printf lines must both arrive whole, every
// time. GNU cat writes with copy_file_range(2), which moves the shared file offset without the
// lock write(2) takes, so when both processes wrote the file at once one overwrote the other
// (the man page's `-c '/bin/cat /etc/hostname'` example lost a line about once in a hundred
// runs on a busy machine). Also: a command that exits at once, one that does not exist, one
// killed by a signal, and one that ignores SIGTERM.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace tracelet::test;

namespace {

// A file under /tmp removed when the test ends, however it ends.
struct TempPath {
  std::string path;
  explicit TempPath(const std::string& what)
      : path("/tmp/tracelet_root_" + what + "_" + std::to_string(getpid())) {}
  ~TempPath() { unlink(path.c_str()); }
};

struct FileRun {
  int status = -1; // exit code, or 128 + signal
  std::string out, err;
  bool timed_out = false;
  double seconds = 0;
};

// Runs tracelet with stdout and stderr redirected to regular files (not pipes: the race needs
// a shared file offset). `signal_after`: sent once stdout holds `marker` (0: none).
FileRun run_to_files(const std::vector<std::string>& args, std::chrono::seconds timeout,
                     const std::string& marker = "", int signal_after = 0) {
  TempPath out("out"), err("err");
  int out_fd = open(out.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err_fd = open(err.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    std::vector<char*> argv;
    std::string bin = tracelet_binary();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  FileRun r;
  auto deadline = start + timeout;
  bool signalled = signal_after == 0;
  int status = 0;
  bool killed = false;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (!signalled && read_file(out.path).find(marker) != std::string::npos) {
      kill(pid, signal_after);
      signalled = true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      kill(pid, killed ? SIGKILL : SIGINT);
      killed = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out.path);
  r.err = read_file(err.path);
  return r;
}

// Busy-loop processes, one per CPU and one more, killed and reaped when the object goes.
class CpuLoad {
public:
  CpuLoad() {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < (cpus > 0 ? cpus : 1) + 1; ++i) {
      pid_t pid = fork();
      if (pid == 0) {
        auto end = std::chrono::steady_clock::now() + std::chrono::minutes(3); // bounded
        while (std::chrono::steady_clock::now() < end) {
        }
        _exit(0);
      }
      if (pid > 0) pids_.push_back(pid);
    }
  }
  ~CpuLoad() {
    for (pid_t pid : pids_)
      kill(pid, SIGKILL);
    for (pid_t pid : pids_)
      waitpid(pid, nullptr, 0);
  }

private:
  std::vector<pid_t> pids_;
};

std::string shown(const FileRun& r) {
  return "--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

// The man page's example, 50 times under CPU load: every run has every line, whole.
TEST(ChildCommand, ManPageExampleCompleteUnderLoad) {
  REQUIRE_BPF();
  std::string hostname = read_file("/etc/hostname");
  ASSERT_FALSE(hostname.empty());
  hostname = lines_of(hostname).at(0);
  CpuLoad load;
  const int kRuns = 50;
  auto test_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  int runs = 0;
  for (; runs < kRuns && std::chrono::steady_clock::now() < test_deadline; ++runs) {
    FileRun r = run_to_files({"-q", "-e",
                              "tracepoint:syscalls:sys_enter_openat /pid == cpid/ { "
                              "printf(\"%s\\n\", str(args.filename)); }",
                              "-c", "/bin/cat /etc/hostname"},
                             std::chrono::seconds(30));
    ASSERT_FALSE(r.timed_out) << "run " << runs << " hung\n" << shown(r);
    ASSERT_EQ(r.status, 0) << "run " << runs << "\n" << shown(r);
    auto lines = lines_of(r.out);
    // The openat of /etc/hostname happens before cat writes the name; tracelet prints the
    // command's output after the events that precede it.
    size_t opened = std::find(lines.begin(), lines.end(), "/etc/hostname") - lines.begin();
    size_t printed = std::find(lines.begin(), lines.end(), hostname) - lines.begin();
    ASSERT_LT(opened, lines.size()) << "run " << runs << ": /etc/hostname missing\n" << shown(r);
    ASSERT_LT(printed, lines.size()) << "run " << runs << ": cat's output missing\n" << shown(r);
    EXPECT_LT(opened, printed) << "run " << runs << "\n" << shown(r);
    ASSERT_NE(std::find(lines.begin(), lines.end(), "/etc/ld.so.cache"), lines.end())
        << "run " << runs << "\n"
        << shown(r);
    for (const auto& l : lines) // every event line is an absolute path (or the read failed)
      if (!l.empty() && l != hostname) ASSERT_EQ(l[0], '/') << "run " << runs << "\n" << shown(r);
    ASSERT_EQ(r.err, "") << "run " << runs;
  }
  EXPECT_EQ(runs, kRuns) << "only " << runs << " runs within 90 s";
}

// Many writers at once: a script runs a renamed copy of cat 200 times (each write by
// copy_file_range) while tracelet prints a line for every file that copy opens. Every cat
// output line and every event line must be there.
TEST(ChildCommand, CommandOutputAndEventsBothWhole) {
  REQUIRE_BPF();
  std::string comm = "tlroot" + std::to_string(getpid() % 100000);
  TempPath cat_copy("cat"), script("script"), data("data");
  std::string cat_path = "/tmp/" + comm;
  ASSERT_EQ(run_command({"/bin/cp", "/bin/cat", cat_path}), 0);
  struct Remove {
    std::string p;
    ~Remove() { unlink(p.c_str()); }
  } remove_cat{cat_path};
  {
    std::ofstream d(data.path);
    d << "command-output-line\n";
    std::ofstream s(script.path);
    s << "i=0\nwhile [ $i -lt 200 ]; do " << cat_path << " " << data.path << "; i=$((i+1)); done\n";
  }
  CpuLoad load;
  FileRun r = run_to_files({"-q", "-e",
                            "tracepoint:syscalls:sys_enter_openat /comm == \"" + comm +
                                "\"/ { printf(\"opened %s\\n\", str(args.filename)); }",
                            "-c", "/bin/sh " + script.path},
                           std::chrono::seconds(100));
  ASSERT_FALSE(r.timed_out) << shown(r);
  ASSERT_EQ(r.status, 0) << shown(r);
  int outputs = 0, opens = 0;
  for (const auto& l : lines_of(r.out)) {
    if (l == "command-output-line")
      ++outputs;
    else if (l == "opened " + data.path)
      ++opens;
    else if (!l.empty() && l.rfind("opened /", 0) != 0 && l != "opened ")
      ADD_FAILURE() << "a line that is neither an event nor the command's: '" << l << "'";
  }
  EXPECT_EQ(outputs, 200) << shown(r);
  EXPECT_EQ(opens, 200);
}

// A command that exits at once ends the run at once: END runs and the maps print.
TEST(ChildCommand, CommandThatExitsAtOnce) {
  REQUIRE_BPF();
  FileRun r = run_to_files(
      {"-e", "END { printf(\"end\\n\"); } interval:s:30 { exit(); }", "-c", "/bin/true"},
      std::chrono::seconds(30));
  ASSERT_FALSE(r.timed_out) << shown(r);
  EXPECT_EQ(r.status, 0) << shown(r);
  EXPECT_EQ(r.out, "Attaching 2 probes...\nend\n\n\n");
  EXPECT_LT(r.seconds, 20.0);
}

// A command that cannot be run is one line before anything is compiled or attached.
TEST(ChildCommand, MissingCommandIsOneError) {
  FileRun r = run_to_files({"-e", "BEGIN { printf(\"hi\\n\"); }", "-c", "tl_no_such_command_x a"},
                           std::chrono::seconds(30));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "tracelet: error: -c: cannot run 'tl_no_such_command_x': command not found "
                   "in $PATH\n");
  r = run_to_files({"-e", "BEGIN { }", "-c", "/nonexistent/tl_cmd"}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "tracelet: error: -c: cannot run '/nonexistent/tl_cmd': No such file or "
                   "directory\n");
  r = run_to_files({"-e", "BEGIN { }", "-c", "/tmp"}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "tracelet: error: -c: cannot run '/tmp': Is a directory\n");
}

// A command killed by a signal ends the run like one that exits.
TEST(ChildCommand, CommandKilledBySignal) {
  REQUIRE_BPF();
  TempPath script("killself");
  {
    std::ofstream s(script.path);
    s << "echo before\nkill -KILL $$\necho after\n";
  }
  FileRun r = run_to_files({"-e", "END { printf(\"end\\n\"); }", "-c", "/bin/sh " + script.path},
                           std::chrono::seconds(30));
  ASSERT_FALSE(r.timed_out) << shown(r);
  EXPECT_EQ(r.status, 0) << shown(r);
  EXPECT_EQ(r.out, "Attaching 1 probe...\nbefore\nend\n\n\n");
}

// Ctrl-C while the command ignores SIGTERM: tracelet still ends (SIGKILL after 2 s).
TEST(ChildCommand, CommandIgnoringSigtermDoesNotHang) {
  REQUIRE_BPF();
  TempPath script("ignoreterm");
  {
    std::ofstream s(script.path);
    s << "trap '' TERM\nexec sleep 60\n";
  }
  FileRun r =
      run_to_files({"-e", "BEGIN { printf(\"ready\\n\"); }", "-c", "/bin/sh " + script.path},
                   std::chrono::seconds(40), "ready", SIGINT);
  ASSERT_FALSE(r.timed_out) << shown(r);
  EXPECT_EQ(r.status, 0) << shown(r);
  EXPECT_LT(r.seconds, 30.0);
}

} // namespace
