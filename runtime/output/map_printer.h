// bpftrace 0.17's text output of a map, byte for byte, from the raw entries read out of the
// kernel (see map_reader.h). Pure: no kernel access, so unit tests feed it synthesized entries.
// The JSON form is json_map_printer.h; both lay out the rows of map_rows.h.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/output/map_rows.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// The text bpftrace prints for `print(@m, top, div)` (top/div 0: not given) and for each map at
// exit. Entries may come in any order; they are sorted as bpftrace sorts them (map_rows.h).
// An empty map prints one blank line.
std::string format_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                       const std::vector<std::string>& probe_names, uint64_t top = 0,
                       uint64_t div = 0, bool zeroed = false);

} // namespace tracelet::runtime
