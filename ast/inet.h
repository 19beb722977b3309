// pton(): the bytes of an IPv4 or IPv6 address literal, parsed once by type inference (which
// reports a bad literal) and again by codegen (which stores the bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast {

// As bpftrace 0.17: a '.' anywhere means IPv4 (4 bytes), else a ':' means IPv6 (16 bytes);
// nullopt if the text is neither or inet_pton() rejects it (so "::ffff:1.2.3.4" is rejected).
std::optional<std::vector<uint8_t>> parse_inet_literal(const std::string& text);

} // namespace tracelet::ast
