#include "codegen/key_names.h"

namespace tracelet::codegen {

namespace {

std::string expression_name(const ast::Expr& e) {
  if (auto* b = dynamic_cast<const ast::Builtin*>(&e)) return b->name;
  if (auto* f = dynamic_cast<const ast::FieldAccess*>(&e))
    return f->renamed_from.empty() ? f->field : f->renamed_from;
  if (auto* v = dynamic_cast<const ast::Variable*>(&e))
    return v->name.size() > 1 && v->name[0] == '$' ? v->name.substr(1) : v->name;
  if (auto* c = dynamic_cast<const ast::Cast*>(&e)) return expression_name(*c->operand);
  if (auto* u = dynamic_cast<const ast::Unary*>(&e))
    return u->op == ast::UnaryOp::Deref ? expression_name(*u->operand) : "";
  if (auto* c = dynamic_cast<const ast::Call*>(&e))
    return c->args.empty() ? "" : expression_name(*c->args[0]);
  return "";
}

} // namespace

std::vector<std::string> key_expression_names(const ast::Map& m) {
  std::vector<std::string> names;
  for (const auto& key : m.keys)
    names.push_back(expression_name(*key));
  return names;
}

} // namespace tracelet::codegen
