// Integer literals: as bpftrace 0.17 reads them in a program (lexer/lexer.l) and as the count
// of an interval, profile, software or hardware probe (ast/passes/attach_points.cpp); and as
// the grammar writes them, for arguments that must be known while compiling (lhist() bounds,
// print() top and div, pton() and strncmp() lengths).
#pragma once

#include "ast/ast.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tracelet::ast {

// Decimal (`1_000_000` separators allowed), octal with a leading 0, hex `0x..`, `AeB`
// (A * 10^B, A one digit and B <= 16 as in bpftrace 0.17), with an optional u/l/ul/ll/ull
// suffix.
struct IntegerLiteral {
  bool ok = false;
  uint64_t value = 0;
  std::string error; // why it is not a valid literal (e.g. out of range)
};
IntegerLiteral parse_integer(std::string_view text);

// The value of a hex digit (0-9, a-f, A-F); 99 for any other character.
int digit_value(char c);

// Integer, or Unary(Neg, Integer) for a negative one: its value.
inline std::optional<int64_t> integer_literal(const Expr& e) {
  if (auto* i = dynamic_cast<const Integer*>(&e)) return static_cast<int64_t>(i->value);
  if (auto* u = dynamic_cast<const Unary*>(&e); u && u->op == UnaryOp::Neg)
    if (auto* i = dynamic_cast<const Integer*>(u->operand.get()))
      return -static_cast<int64_t>(i->value);
  return std::nullopt;
}

} // namespace tracelet::ast
