// Decoding of integer and string literals, kept out of lexer.l so it can be tested directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tracelet::lexer {

// An integer literal as bpftrace writes it: decimal (`1_000_000` separators allowed), octal
// with a leading 0, hex `0x..`, `AeB` (A * 10^B), with an optional u/l/ul/ll/ull suffix.
struct IntegerLiteral {
  bool ok = false;
  uint64_t value = 0;
  std::string error; // why it is not a valid literal (e.g. out of range)
};
IntegerLiteral parse_integer(std::string_view text);

// The body of a string literal (between the quotes) with its escapes decoded:
// \n \t \r \\ \" \' \xHH and \NNN (octal, 1 to 3 digits).
struct StringLiteral {
  bool ok = false;
  std::string value;
  std::string error;       // why an escape is invalid
  size_t error_offset = 0; // offset of the bad escape within the body
};
StringLiteral decode_string(std::string_view body);

} // namespace tracelet::lexer
