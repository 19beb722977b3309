// tl_uprobe_target (workload/tl_uprobe_target.c) as the uprobe tests use it: its path, the
// struct it passes, and a script traced while it makes its calls.
#pragma once

#include "harness.h"

#include <string>
#include <vector>

namespace tracelet::test {

std::string uprobe_target();

// struct tlx_point as the target defines it, for scripts that cast its pointers.
inline constexpr const char* kTlxPoint =
    "struct tlx_point { int x; int y; char name[8]; long values[2]; }\n";

// Runs `script` (trace_while) while the target makes `calls` rounds of calls.
RunResult trace_uprobe_target(const std::string& script, int calls = 1,
                              std::vector<std::string> options = {});

} // namespace tracelet::test
