#include "runtime/child_process.h"

#include "ast/diagnostics.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tracelet::runtime {

namespace {

// Why `path` cannot be exec'd, or "" if it can.
std::string not_runnable(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return std::strerror(EISDIR);
  if (!S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) return std::strerror(EACCES);
  return "";
}

// The -c program must exist before anything is compiled or attached (bpftrace checks it too):
// a typo is one line and exit status 1, not a run that traces nothing.
void check_runnable(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    std::string why = not_runnable(program);
    if (!why.empty()) throw Error("-c: cannot run '" + program + "': " + why);
    return;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (not_runnable((dir.empty() ? "." : dir) + "/" + program).empty()) return;
  throw Error("-c: cannot run '" + program + "': command not found in $PATH");
}

bool stdout_is_regular_file() {
  struct stat st;
  return fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode);
}

} // namespace

ChildProcess::ChildProcess(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string w; in >> w;)
    words.push_back(w);
  if (words.empty()) throw Error("-c needs a command to run");
  check_runnable(words[0]);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  int relay[2] = {-1, -1};
  if (stdout_is_regular_file() && pipe2(relay, O_CLOEXEC) != 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    throw Error(std::string("pipe: ") + std::strerror(err));
  }
  // argv is built before fork: the child only execs.
  std::vector<char*> argv;
  for (auto& w : words)
    argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    int err = errno;
    for (int fd : {fds[0], fds[1], relay[0], relay[1]})
      if (fd >= 0) close(fd);
    throw Error(std::string("cannot fork for -c: ") + std::strerror(err));
  }
  if (pid_ == 0) {
    // Child: wait until the parent has attached every probe (one byte), or gave up (EOF).
    close(fds[1]);
    if (relay[1] >= 0 && dup2(relay[1], STDOUT_FILENO) < 0) _exit(127); // dup2 clears CLOEXEC
    char go = 0;
    if (read(fds[0], &go, 1) != 1) _exit(127);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "tracelet: cannot run '%s': %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  close(fds[0]);
  release_fd_ = fds[1];
  if (relay[1] >= 0) {
    close(relay[1]);
    relay_fd_ = relay[0];
    fcntl(relay_fd_, F_SETFL, fcntl(relay_fd_, F_GETFL) | O_NONBLOCK);
  }
}

ChildProcess::~ChildProcess() {
  if (release_fd_ >= 0) close(release_fd_); // a child never started sees EOF and exits
  if (pid_ > 0 && !reaped_) {
    if (!exited()) kill(pid_, SIGTERM);
    // A command that ignores SIGTERM must not keep tracelet from exiting.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!exited() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (relay_fd_ >= 0) close(relay_fd_);
}

void ChildProcess::start() {
  if (release_fd_ < 0) return;
  char go = 1;
  if (write(release_fd_, &go, 1) != 1)
    throw Error(std::string("cannot start the -c command: ") + std::strerror(errno));
  close(release_fd_);
  release_fd_ = -1;
}

bool ChildProcess::exited() {
  if (reaped_) return true;
  int status;
  if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return reaped_;
}

std::string ChildProcess::take_output() {
  std::string text;
  if (relay_fd_ < 0) return text;
  char buf[65536];
  for (;;) {
    ssize_t n = read(relay_fd_, buf, sizeof buf);
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
      if (text.size() >= (1u << 20)) break; // the rest on the next turn
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) { // every writer is gone
      close(relay_fd_);
      relay_fd_ = -1;
    }
    break; // EAGAIN: nothing more for now
  }
  return text;
}

void ChildProcess::write_output(const std::string& text) {
  if (text.empty()) return;
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

} // namespace tracelet::runtime
