// What --info reports about this kernel, found out by asking it: helpers and map and program
// types through libbpf's probes, loops by loading a program with a back edge, map batch
// operations by calling one, and tracelet's own attach checks (kprobe PMU, fentry, PMU).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tracelet::runtime {

struct FeatureSection {
  std::string title;
  std::vector<std::pair<std::string, std::string>> items; // name, value ("yes", "no", ...)
};

// Whether the verifier accepts bounded loops (5.3+): a program with a back edge loads.
bool kernel_loads_loops();
// The verifier's budget of processed instructions: 1000000 where loops load, 4096 before.
unsigned verifier_instruction_limit();

// The sections "Kernel helpers", "Kernel features", "Map types", "Probe types" (bpftrace's
// names and order) and "Attach" (what tracelet can attach here, beyond loading).
std::vector<FeatureSection> probe_kernel_features();

} // namespace tracelet::runtime
