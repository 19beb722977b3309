#include "runtime/traced_process.h"

#include <cerrno>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tracelet::runtime {

TracedProcess::TracedProcess(pid_t pid) {
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0)
    pidfd_ = UniqueFd(fd);
  else
    gone_at_start_ = errno == ESRCH;
}

bool TracedProcess::exited() const {
  if (gone_at_start_) return true;
  if (pidfd_.get() < 0) return false; // no pidfd (pre-5.3 kernel): trace until a signal
  // A pidfd polls readable once the process has exited.
  pollfd pfd{pidfd_.get(), POLLIN, 0};
  return ::poll(&pfd, 1, 0) == 1;
}

} // namespace tracelet::runtime
