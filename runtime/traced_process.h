// -p PID: as in bpftrace, tracing ends (END runs, maps print) once the traced process exits.
#pragma once

#include <sys/types.h>

#include "runtime/bpf_object.h"

namespace tracelet::runtime {

class TracedProcess {
public:
  // Holds a pidfd of `pid`, so a pid reused by a new process is not mistaken for it.
  explicit TracedProcess(pid_t pid);
  // True once the process has exited (or was already gone when tracing started).
  bool exited() const;

private:
  UniqueFd pidfd_;
  bool gone_at_start_ = false;
};

} // namespace tracelet::runtime
