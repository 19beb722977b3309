// -c CMD: the traced command. Forked before the program is compiled (so that `cpid` is a
// constant) but held before exec until every probe is attached, as bpftrace does; tracing
// ends when it exits.
#pragma once

#include <string>
#include <sys/types.h>

namespace tracelet::runtime {

class ChildProcess {
public:
  // Splits `command` on spaces (as bpftrace does) and forks; the child waits for start().
  // Throws tracelet::Error if the command is empty or the fork fails.
  explicit ChildProcess(const std::string& command);
  // A child still running is sent SIGTERM and reaped.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Lets the child exec its command.
  void start();
  // True once the child has exited (reaps it).
  bool exited();

private:
  pid_t pid_ = -1;
  int release_fd_ = -1; // write end of the pipe the child blocks on
  bool reaped_ = false;
};

} // namespace tracelet::runtime
