// bpftrace 0.17's text output of a map, byte for byte, from the raw entries read out of the
// kernel (see map_reader.h). Pure: no kernel access, so unit tests feed it synthesized entries.
#pragma once

#include "codegen/compiled_program.h"

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
std::string format_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                       const std::vector<std::string>& probe_names, uint64_t top = 0,
                       uint64_t div = 0);

} // namespace tracelet::runtime
