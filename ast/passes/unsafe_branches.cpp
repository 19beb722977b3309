// Conditions known while compiling: `str($1) == "kill"` compares a command-line argument with
// a literal, so its value is fixed before the program loads. An unsafe call (system(),
// signal()) in a branch such a condition rules out cannot run, and needs no --unsafe:
//   if (str($1) == "kill") { signal("KILL"); }
// runs in safe mode without "kill" and asks for --unsafe with it.
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

std::optional<bool> TypeInference::constant_string_condition(Expr& cond) {
  auto* b = dynamic_cast<Binary*>(&cond);
  if (!b) return std::nullopt;
  if (b->op == BinaryOp::LogicalAnd || b->op == BinaryOp::LogicalOr) {
    auto l = constant_string_condition(*b->lhs), r = constant_string_condition(*b->rhs);
    bool is_and = b->op == BinaryOp::LogicalAnd;
    if (l == !is_and || r == !is_and) return !is_and; // false && x, true || x
    if (l && r) return is_and ? (*l && *r) : (*l || *r);
    return std::nullopt;
  }
  if (b->op != BinaryOp::Eq && b->op != BinaryOp::Ne) return std::nullopt;
  auto is_literal = [](const Expr& e) {
    if (dynamic_cast<const String*>(&e)) return true;
    auto* c = dynamic_cast<const Call*>(&e);
    return c && c->func == "str" && c->args.size() == 1 &&
           dynamic_cast<const PositionalParam*>(c->args[0].get()) &&
           !static_cast<const PositionalParam*>(c->args[0].get())->is_count;
  };
  if (!is_literal(*b->lhs) || !is_literal(*b->rhs)) return std::nullopt;
  auto l = literal_string(*b->lhs), r = literal_string(*b->rhs);
  if (!l || !r) return std::nullopt;
  return (*l == *r) == (b->op == BinaryOp::Eq);
}

} // namespace tracelet::ast::passes
