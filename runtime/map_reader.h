// Reading user maps out of the kernel, and the clear()/zero() actions on them.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/output/map_printer.h"

#include <vector>

namespace tracelet::runtime {

// Every entry of the map behind `fd`; per-CPU maps yield one value per possible CPU.
// Throws tracelet::Error if the kernel refuses a lookup.
std::vector<MapEntry> read_map(int fd, const codegen::MapDesc& map);

// clear(@m): a hash loses every entry; an array (keyless aggregation) is zeroed, as it cannot
// lose entries.
void clear_map(int fd, const codegen::MapDesc& map);

// zero(@m): every existing entry keeps its key and gets a zero value.
void zero_map(int fd, const codegen::MapDesc& map);

} // namespace tracelet::runtime
