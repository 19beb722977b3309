#include "ast/diagnostics.h"
#include "runtime/attach/attach.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tracelet::runtime {

uint64_t interval_period_ns(const std::string& unit, uint64_t n, const std::string& probe_name) {
  if (n == 0) throw Error("cannot attach " + probe_name + ": the interval must be greater than 0");
  if (unit == "s") return n * 1000000000ull;
  if (unit == "ms") return n * 1000000ull;
  if (unit == "us") return n * 1000ull;
  if (unit == "hz") return 1000000000ull / n;
  throw Error("cannot attach " + probe_name + ": unknown interval unit '" + unit +
              "' (use s, ms, us or hz)");
}

Link attach_interval(bpf_program* prog, const codegen::ProgramDesc& desc) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = interval_period_ns(desc.target, desc.freq, desc.probe_name);
  // The timer runs on one CPU so that the probe fires once per period, not once per CPU.
  int fd = static_cast<int>(::syscall(__NR_perf_event_open, &attr, /*pid=*/-1, /*cpu=*/0,
                                      /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC));
  if (fd < 0)
    throw Error("cannot attach " + desc.probe_name +
                ": perf_event_open (cpu-clock) failed: " + std::strerror(errno));
  UniqueFd perf_fd(fd);
  bpf_link* link = bpf_program__attach_perf_event(prog, perf_fd.get());
  if (!link) throw Error("cannot attach " + desc.probe_name + ": " + errno_text(errno));
  perf_fd.release(); // the link owns the perf event now and closes it on destroy
  return Link(link);
}

} // namespace tracelet::runtime
