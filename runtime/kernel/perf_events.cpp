#include "runtime/kernel/perf_events.h"

#include <linux/perf_event.h>

namespace tracelet::runtime {

namespace {

// bpftrace 0.17's tables (src/types.h: SW_PROBE_LIST, HW_PROBE_LIST).
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

} // namespace

std::span<const PerfEventDef> perf_events(const std::string& provider) {
  if (provider == "software") return kSoftwareEvents;
  if (provider == "hardware") return kHardwareEvents;
  return {};
}

const PerfEventDef* find_perf_event(const std::string& provider, const std::string& name) {
  for (const auto& e : perf_events(provider))
    if (name == e.name || (e.alias && name == e.alias)) return &e;
  return nullptr;
}

} // namespace tracelet::runtime
