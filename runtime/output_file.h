// `-o FILE` opened safely for root: created 0600, and in a world-writable directory (/tmp) a
// symbolic link or a file another user owns is refused rather than followed or overwritten.
#pragma once

#include <cstdio>
#include <string>

namespace tracelet::runtime {

// Throws tracelet::Error with the reason.
FILE* open_output_file(const std::string& path);

} // namespace tracelet::runtime
