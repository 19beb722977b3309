// profile, software and hardware probes: one perf event per CPU, each with the program attached.
#include "runtime/attach/attach.h"
#include "runtime/kernel/kernel_features.h"
#include "runtime/kernel/perf_events.h"

#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace tracelet::runtime {

namespace {

std::string event_names(const std::string& provider) {
  std::string s;
  for (const auto& e : perf_events(provider))
    s += (s.empty() ? "" : ", ") + std::string(e.name);
  return s;
}

// The perf_event_attr of `desc`, or nullopt if its event is unknown.
std::optional<perf_event_attr> event_attr(const codegen::ProgramDesc& desc) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  if (desc.provider == "profile") {
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_CPU_CLOCK;
    if (desc.target == "hz") {
      attr.freq = 1;
      attr.sample_freq = desc.freq;
    } else {
      attr.sample_period = interval_period_ns(desc.target, desc.freq, desc.probe_name);
    }
    return attr;
  }
  bool hw = desc.provider == "hardware";
  const PerfEventDef* def = find_perf_event(desc.provider, desc.target);
  if (!def) return std::nullopt;
  attr.type = hw ? PERF_TYPE_HARDWARE : PERF_TYPE_SOFTWARE;
  attr.config = def->config;
  attr.sample_period = desc.freq ? desc.freq : def->default_count;
  return attr;
}

} // namespace

std::string perf_unavailable(const codegen::ProgramDesc& desc) {
  if (!event_attr(desc)) {
    return "unknown " + desc.provider + " event '" + desc.target +
           "' (known: " + event_names(desc.provider) + ")";
  }
  if (desc.provider == "hardware" && !kernel_has_hardware_pmu())
    return "this machine has no hardware performance counters (no PMU is exposed to this "
           "kernel); try software:cpu-clock or profile:hz:99";
  return "";
}

std::vector<Link> attach_perf_event(bpf_program* prog, const codegen::ProgramDesc& desc) {
  if (std::string why = perf_unavailable(desc); !why.empty()) throw AttachError(desc, why);
  perf_event_attr attr = *event_attr(desc);
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) throw AttachError(desc, "cannot count the CPUs: " + errno_text(cpus));
  std::vector<Link> links;
  for (int cpu = 0; cpu < cpus; ++cpu) {
    int fd = static_cast<int>(::syscall(__NR_perf_event_open, &attr, /*pid=*/-1, cpu,
                                        /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC));
    if (fd < 0) {
      if (errno == ENODEV) continue; // a possible but offline CPU
      throw AttachError(desc, "perf_event_open on CPU " + std::to_string(cpu) +
                                  " failed: " + std::strerror(errno));
    }
    UniqueFd perf_fd(fd);
    bpf_link* link = bpf_program__attach_perf_event(prog, perf_fd.get());
    if (!link) throw AttachError(desc, errno_text(errno));
    perf_fd.release(); // the link owns the perf event now
    links.emplace_back(link);
  }
  return links;
}

} // namespace tracelet::runtime
