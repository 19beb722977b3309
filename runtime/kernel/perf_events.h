// The software and hardware events of `software:EVENT[:count]` and `hardware:EVENT[:count]`
// probes: bpftrace 0.17's names, short aliases and default periods. One table for attaching
// (runtime/attach/perf.cpp) and for listing (`-l 'software:*'`).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace tracelet::runtime {

struct PerfEventDef {
  const char* name;
  const char* alias;      // bpftrace's short name ("cycles", "faults"), or nullptr
  uint64_t config;        // PERF_COUNT_SW_* or PERF_COUNT_HW_*
  uint64_t default_count; // bpftrace's period when the probe gives no count
};

// The events of provider "software" or "hardware" in bpftrace's order (empty for others).
std::span<const PerfEventDef> perf_events(const std::string& provider);

// The event `name` or alias of `provider`, or nullptr.
const PerfEventDef* find_perf_event(const std::string& provider, const std::string& name);

} // namespace tracelet::runtime
