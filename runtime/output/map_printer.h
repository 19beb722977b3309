// bpftrace 0.17's text output of a map, byte for byte, from the raw entries read out of the
// kernel (see map_reader.h). Pure: no kernel access, so unit tests feed it synthesized entries.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/output/output_format.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// One BPF map entry: the BPF key bytes and the value bytes of every CPU (one element for maps
// that are not per-CPU).
struct MapEntry {
  std::vector<uint8_t> key;
  std::vector<std::vector<uint8_t>> values;
};

// The text bpftrace prints for `print(@m, top, div)` (top/div 0: not given) and for each map at
// exit. Entries may come in any order; they are sorted as bpftrace sorts them.
//
// A keyless sum/min/max/avg/stats map is a one-slot array here but a hash in bpftrace, so an
// unset slot (a sum at 0) prints as an empty map — unless zero() was applied since the last clear()
// (`zeroed`), after which bpftrace's hash holds a zero entry.
// In OutputFormat::Json: one line per map as bpftrace's JsonOutput; an empty map prints nothing.
std::string format_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                       const std::vector<std::string>& probe_names, uint64_t top = 0,
                       uint64_t div = 0, bool zeroed = false,
                       OutputFormat format = OutputFormat::Text);

} // namespace tracelet::runtime
