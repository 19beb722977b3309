// -c CMD: the traced command. Forked before the program is compiled (so that `cpid` is a
// constant) but held before exec until every probe is attached, as bpftrace does; tracing
// ends when it exits.
//
// When tracelet's stdout is a regular file, the child's stdout is a pipe that tracelet relays
// into its own output: two processes writing to one open file at once lose bytes, because
// copy_file_range(2) and sendfile(2) (GNU cat uses the first) update the shared file offset
// without the lock that write(2) takes, so a printf line and the command's output overwrite
// each other. Through the relay, one process alone writes the file.
#pragma once

#include <cstdio>
#include <string>
#include <sys/types.h>

namespace tracelet::runtime {

class ChildProcess {
public:
  // Splits `command` on spaces (as bpftrace does), checks that its program can be run (a path,
  // or a name found in $PATH) and forks; the child waits for start(). Throws tracelet::Error
  // if the command is empty, cannot be run, or the fork fails.
  explicit ChildProcess(const std::string& command);
  // A child still running is sent SIGTERM, then SIGKILL if it has not ended 2 s later.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Lets the child exec its command.
  void start();
  // True once the child has exited (reaps it).
  bool exited();
  // The pipe holding the child's stdout, or -1 when the child writes to tracelet's stdout
  // itself (a terminal or a pipe).
  int relay_fd() const { return relay_fd_; }
  // What the child has written to the pipe so far, without waiting. Every event the child
  // caused before writing it is in the perf buffer by then: drain those first, then
  // write_output(), and the command's output follows the events that precede it.
  std::string take_output();
  // Writes the child's output to tracelet's stdout.
  static void write_output(const std::string& text);

private:
  pid_t pid_ = -1;
  int release_fd_ = -1; // write end of the pipe the child blocks on
  int relay_fd_ = -1;   // read end of the child's stdout pipe (non-blocking)
  bool reaped_ = false;
};

} // namespace tracelet::runtime
