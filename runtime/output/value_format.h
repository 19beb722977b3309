// Decoding values laid out per ast/types.h into bpftrace's text: integers by signedness,
// strings up to their NUL, tuples as "(a, b)", probe indexes as probe names.
#pragma once

#include "ast/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// Integers of 1, 2, 4 or 8 bytes (host byte order), sign-extended or zero-extended.
int64_t read_signed(const uint8_t* data, uint64_t bytes);
uint64_t read_unsigned(const uint8_t* data, uint64_t bytes);

// The characters of a char[size] buffer up to its first NUL.
std::string read_string(const uint8_t* data, uint64_t size);

// Bytes as bpftrace's %r shows a buf(): printable ASCII as is, every other byte as \xNN.
std::string hex_escaped(const uint8_t* data, uint64_t size);
// Bytes as bpftrace's %rx ('x': every byte as \xNN) and %rh ('h': "0a fe", spaces between).
std::string buffer_hex(const uint8_t* data, uint64_t size, char form);

// The name of probe index `index`, or "probe#N" if codegen gave no such name.
std::string probe_name(uint64_t index, const std::vector<std::string>& probe_names);

// A value as print() and map printing show it.
std::string format_value(const ast::Type& type, const uint8_t* data,
                         const std::vector<std::string>& probe_names);

// A pointer in a map key, as bpftrace shows it: hex, "0x20" (values print in decimal).
std::string format_pointer_key(const uint8_t* data);

// One element of a map key as text, in the text output and (joined by ",") in a JSON key:
// 64-bit integers signed, pointers in hex, stack frames indented by 4 rather than 8.
std::string format_key_element(const ast::Type& type, const uint8_t* data,
                               const std::vector<std::string>& probe_names);

// A map key as bpftrace shows it after the map name: "" for a keyless map, "[1]", "[a, 2]".
std::string format_key(const ast::Type& key, const uint8_t* data,
                       const std::vector<std::string>& probe_names);

} // namespace tracelet::runtime
