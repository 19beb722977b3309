#include "runtime/child_process.h"

#include "ast/diagnostics.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace tracelet::runtime {

ChildProcess::ChildProcess(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string w; in >> w;)
    words.push_back(w);
  if (words.empty()) throw Error("-c needs a command to run");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  pid_ = fork();
  if (pid_ < 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    throw Error(std::string("cannot fork for -c: ") + std::strerror(err));
  }
  if (pid_ == 0) {
    // Child: wait until the parent has attached every probe (one byte), or gave up (EOF).
    close(fds[1]);
    char go = 0;
    if (read(fds[0], &go, 1) != 1) _exit(127);
    std::vector<char*> argv;
    for (auto& w : words)
      argv.push_back(w.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "tracelet: cannot run '%s': %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  close(fds[0]);
  release_fd_ = fds[1];
}

ChildProcess::~ChildProcess() {
  if (release_fd_ >= 0) close(release_fd_); // a child never started sees EOF and exits
  if (pid_ > 0 && !reaped_) {
    if (!exited()) kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
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

} // namespace tracelet::runtime
