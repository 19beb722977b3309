// bpftrace 0.17's `-f json` line of a map, byte for byte: {"type": "map"|"stats"|"hist",
// "data": {"@name": body}}. Pure, as map_printer.h, and laying out the same rows (map_rows.h).
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/output/map_rows.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// One line per map; an empty map prints nothing. top/div as format_map.
std::string format_map_json(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                            const std::vector<std::string>& probe_names, uint64_t top = 0,
                            uint64_t div = 0, bool zeroed = false);

} // namespace tracelet::runtime
