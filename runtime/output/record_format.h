// Records (structs and unions of a script or BTF) and arrays as bpftrace 0.17 prints them:
// values "{ .a = 1, .in = { .x = 2 }, .arr = [1,2] }", in map keys "{.a=1,.in={.x=2},.p=0x0}"
// (pointers in hex), in JSON { "a": 1, "arr": [1,2] }.
#pragma once

#include "ast/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// Text of a record or array value; `in_key` for the compact spelling of map keys.
std::string format_record_or_array(const ast::Type& type, const uint8_t* data,
                                   const std::vector<std::string>& probe_names, bool in_key);
// JSON of a record or array value.
std::string json_record_or_array(const ast::Type& type, const uint8_t* data,
                                 const std::vector<std::string>& probe_names);

} // namespace tracelet::runtime
