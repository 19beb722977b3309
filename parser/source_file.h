// Reading a program file: one clear error for a path that is a directory, cannot be read, or
// holds more than kMaxProgramBytes (`tracelet /dev/zero` read until memory ran out). Pipes
// and FIFOs are read to their end (`tracelet <(echo ...)`), within the same cap.
#pragma once

#include <cstddef>
#include <string>

namespace tracelet::parser {

inline constexpr size_t kMaxProgramBytes = 16 * 1024 * 1024;

// Throws tracelet::Error with the reason.
std::string read_program_file(const std::string& path, size_t max_bytes = kMaxProgramBytes);

} // namespace tracelet::parser
