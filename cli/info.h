// --info: the system, the build, and what this kernel offers, in bpftrace's layout
// ("Section" lines, then "  name: value").
#pragma once

#include <ostream>

namespace tracelet::cli {

void print_info(std::ostream& out);

} // namespace tracelet::cli
