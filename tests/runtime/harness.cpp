#include "harness.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace tracelet::test {

namespace {

pid_t spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    std::vector<char*> cargs;
    for (const auto& a : argv)
      cargs.push_back(const_cast<char*>(a.c_str()));
    cargs.push_back(nullptr);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

} // namespace

std::string tracelet_binary() {
  return TRACELET_BINARY;
}
std::string workload_binary() {
  return TL_WORKLOAD_BINARY;
}

std::string reference_bpftrace() {
  if (const char* env = std::getenv("TRACELET_REFERENCE_BPFTRACE"); env && *env) return env;
  return access("/usr/bin/bpftrace", X_OK) == 0 ? "/usr/bin/bpftrace" : "";
}

RunResult run_tracelet(std::vector<std::string> args) {
  RunSpec spec;
  spec.args = std::move(args);
  return run_tracelet(spec);
}

RunResult run_tracelet(const RunSpec& spec) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) return {};
  std::vector<std::string> argv{tracelet_binary()};
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  pid_t pid = spawn(argv, out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);

  RunResult r;
  auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  bool workload_done = spec.ready_marker.empty() && !spec.workload;
  if (spec.ready_marker.empty() && spec.workload) {
    spec.workload();
    workload_done = true;
    if (spec.stop_signal) kill(pid, spec.stop_signal);
  }
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                     {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
    if (poll(fds, 2, ms) < 0) break;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
    }
    if (!workload_done && !spec.ready_marker.empty() &&
        r.out.find(spec.ready_marker) != std::string::npos) {
      if (spec.workload) spec.workload();
      workload_done = true;
      if (spec.stop_signal) kill(pid, spec.stop_signal);
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_status = decode_status(status);
  return r;
}

int run_command(const std::vector<std::string>& argv, std::string* out) {
  int p[2];
  if (pipe2(p, O_CLOEXEC)) return -1;
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  pid_t pid = spawn(argv, p[1], devnull);
  close(p[1]);
  close(devnull);
  char buf[4096];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    if (out) out->append(buf, static_cast<size_t>(n));
  close(p[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return decode_status(status);
}

bool can_run_bpf(std::string* reason) {
  if (geteuid() != 0) {
    *reason = "runtime tests need root (BPF program load and attach); run ctest as root";
    return false;
  }
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    *reason = "this kernel has no BTF (/sys/kernel/btf/vmlinux)";
    return false;
  }
  return true;
}

int count_bpf_links() {
  std::string out;
  if (run_command({"/usr/sbin/bpftool", "-j", "link", "show"}, &out) != 0) return -1;
  int n = 0;
  for (size_t pos = 0; (pos = out.find("\"id\":", pos)) != std::string::npos; ++pos)
    ++n;
  return n;
}

RunSpec interrupt_after(std::vector<std::string> args, std::string ready_marker,
                        std::function<void()> workload) {
  RunSpec spec;
  spec.args = std::move(args);
  spec.ready_marker = std::move(ready_marker);
  spec.workload = std::move(workload);
  spec.stop_signal = SIGINT;
  return spec;
}

RunSpec ready_spec(const std::string& script, std::function<void()> workload,
                   std::vector<std::string> options) {
  options.insert(options.end(), {"-e", R"(BEGIN { printf("tracelet-ready\n"); } )" + script});
  return interrupt_after(std::move(options), kReadyLine, std::move(workload));
}

RunResult trace_while(const std::string& script, std::function<void()> workload,
                      std::vector<std::string> options) {
  return run_tracelet(ready_spec(script, std::move(workload), std::move(options)));
}

RunResult trace_while(const std::string& script, const std::vector<std::string>& workload,
                      std::vector<std::string> options) {
  return trace_while(
      script, [&] { run_command(workload); }, std::move(options));
}

RunResult trace_until_exit(const std::string& script, std::function<void()> workload,
                           std::vector<std::string> options) {
  RunSpec spec = ready_spec(script, std::move(workload), std::move(options));
  spec.stop_signal = 0;
  return run_tracelet(spec);
}

RunResult trace_until_exit(const std::string& script, const std::vector<std::string>& workload,
                           std::vector<std::string> options) {
  return trace_until_exit(
      script, [&] { run_command(workload); }, std::move(options));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ScopedCwd::ScopedCwd(const std::filesystem::path& dir) : old_(std::filesystem::current_path()) {
  std::filesystem::current_path(dir);
}

ScopedCwd::~ScopedCwd() {
  std::error_code ec;
  std::filesystem::current_path(old_, ec);
}

StdinTarget::StdinTarget(const std::string& path) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, p[0], 0);
  std::string program = path;
  char* argv[] = {program.data(), const_cast<char*>("stdin"), nullptr};
  if (posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv, environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(p[0]);
  write_fd_ = p[1];
}

StdinTarget::~StdinTarget() {
  if (write_fd_ >= 0) close(write_fd_); // EOF: the target exits
  if (pid_ > 0) {
    kill(pid_, SIGCONT); // never left stopped, whatever a test did
    waitpid(pid_, nullptr, 0);
  }
}

void StdinTarget::send(const std::string& bytes) {
  (void)!write(write_fd_, bytes.data(), bytes.size());
}

char StdinTarget::state() const {
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ? '?' : line[paren + 2];
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = 0; (pos = text.find(what, pos)) != std::string::npos; pos += what.size())
    ++n;
  return n;
}

} // namespace tracelet::test
