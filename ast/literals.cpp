#include "ast/literals.h"

namespace tracelet::ast {

std::optional<int64_t> integer_literal(const Expr& e) {
  if (auto* i = dynamic_cast<const Integer*>(&e)) return static_cast<int64_t>(i->value);
  if (auto* u = dynamic_cast<const Unary*>(&e); u && u->op == UnaryOp::Neg)
    if (auto* i = dynamic_cast<const Integer*>(u->operand.get()))
      return -static_cast<int64_t>(i->value);
  return std::nullopt;
}

} // namespace tracelet::ast
