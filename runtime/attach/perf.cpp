// profile, software and hardware probes: one perf event per CPU, each with the program attached.
#include "runtime/attach/attach.h"
#include "runtime/kernel/kernel_features.h"

#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace tracelet::runtime {

namespace {

struct PerfEventDef {
  const char* name;
  const char* alias; // bpftrace's short name, or nullptr
  uint64_t config;
  uint64_t default_count; // bpftrace's default period when no count is given
};

// bpftrace 0.17's tables (src/probe_matcher / types.h).
constexpr PerfEventDef kSoftwareEvents[] = {
    {"cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000},
    {"task-clock", nullptr, PERF_COUNT_SW_TASK_CLOCK, 1000000},
    {"page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100},
    {"context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000},
    {"cpu-migrations", nullptr, PERF_COUNT_SW_CPU_MIGRATIONS, 1},
    {"minor-faults", nullptr, PERF_COUNT_SW_PAGE_FAULTS_MIN, 100},
    {"major-faults", nullptr, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1},
    {"alignment-faults", nullptr, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1},
    {"emulation-faults", nullptr, PERF_COUNT_SW_EMULATION_FAULTS, 1},
    {"dummy", nullptr, PERF_COUNT_SW_DUMMY, 1},
    {"bpf-output", nullptr, PERF_COUNT_SW_BPF_OUTPUT, 1},
};

constexpr PerfEventDef kHardwareEvents[] = {
    {"cpu-cycles", "cycles", PERF_COUNT_HW_CPU_CYCLES, 1000000},
    {"instructions", nullptr, PERF_COUNT_HW_INSTRUCTIONS, 1000000},
    {"cache-references", nullptr, PERF_COUNT_HW_CACHE_REFERENCES, 1000000},
    {"cache-misses", nullptr, PERF_COUNT_HW_CACHE_MISSES, 1000000},
    {"branch-instructions", "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000},
    {"branch-misses", nullptr, PERF_COUNT_HW_BRANCH_MISSES, 100000},
    {"bus-cycles", nullptr, PERF_COUNT_HW_BUS_CYCLES, 100000},
    {"frontend-stalls", nullptr, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000},
    {"backend-stalls", nullptr, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000},
    {"ref-cycles", nullptr, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000},
};

template <size_t N>
const PerfEventDef* find_event(const PerfEventDef (&table)[N], const std::string& name) {
  for (const auto& e : table)
    if (name == e.name || (e.alias && name == e.alias)) return &e;
  return nullptr;
}

template <size_t N> std::string event_names(const PerfEventDef (&table)[N]) {
  std::string s;
  for (const auto& e : table)
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
  const PerfEventDef* def =
      hw ? find_event(kHardwareEvents, desc.target) : find_event(kSoftwareEvents, desc.target);
  if (!def) return std::nullopt;
  attr.type = hw ? PERF_TYPE_HARDWARE : PERF_TYPE_SOFTWARE;
  attr.config = def->config;
  attr.sample_period = desc.freq ? desc.freq : def->default_count;
  return attr;
}

} // namespace

std::string perf_unavailable(const codegen::ProgramDesc& desc) {
  if (!event_attr(desc)) {
    bool hw = desc.provider == "hardware";
    return "unknown " + desc.provider + " event '" + desc.target +
           "' (known: " + (hw ? event_names(kHardwareEvents) : event_names(kSoftwareEvents)) + ")";
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
