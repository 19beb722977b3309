// Decoding of integer and string literals, kept out of lexer.l so it can be tested directly.
#pragma once

#include "ast/integer_literal.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tracelet::lexer {

// Integer literals: ast/integer_literal.h (probe counts are read the same way).
using ast::IntegerLiteral;
using ast::parse_integer;

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
