// printf() output: the user's format applied to an event payload, as bpftrace 0.17 prints it.
#pragma once

#include "ast/types.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// `args` is the payload layout (a Tuple). Conversions: %d %i %u %x %X %o %c %p %s %%, with
// flags - 0 + space #, width, precision and the length forms hh h l ll z j t. Without a length
// an integer is converted as a C int (32 bits), as bpftrace does. %s of a probe-typed argument
// prints the probe's name. A payload shorter than the layout reads as zeros.
// %q (tracelet, no flags or width) prints what %s would as one POSIX shell word: shell_quote().
std::string format_printf(const std::string& format, const ast::Type& args, const uint8_t* payload,
                          size_t payload_size, const std::vector<std::string>& probe_names);

// `text` single-quoted for /bin/sh, every ' written as '\'': it's -> 'it'\''s', "" -> ''.
std::string shell_quote(const std::string& text);

} // namespace tracelet::runtime
