// An integer literal as the grammar writes it: Integer, or Unary(Neg, Integer) for a negative
// one. For arguments that must be known while compiling (lhist() bounds, print() top and div,
// pton() and strncmp() lengths).
#pragma once

#include "ast/ast.h"

#include <cstdint>
#include <optional>

namespace tracelet::ast {

inline std::optional<int64_t> integer_literal(const Expr& e) {
  if (auto* i = dynamic_cast<const Integer*>(&e)) return static_cast<int64_t>(i->value);
  if (auto* u = dynamic_cast<const Unary*>(&e); u && u->op == UnaryOp::Neg)
    if (auto* i = dynamic_cast<const Integer*>(u->operand.get()))
      return -static_cast<int64_t>(i->value);
  return std::nullopt;
}

} // namespace tracelet::ast
