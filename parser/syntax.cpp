#include "parser/syntax.h"

namespace tracelet::parser {

using namespace ast;

ExprPtr binary(const Location& loc, const Location& op_loc, BinaryOp op, ExprPtr lhs, ExprPtr rhs) {
  auto e = node<Binary>(loc);
  e->op = op;
  e->op_loc = op_loc;
  e->lhs = std::move(lhs);
  e->rhs = std::move(rhs);
  return e;
}

ExprPtr unary(const Location& loc, UnaryOp op, ExprPtr operand) {
  auto e = node<Unary>(loc);
  e->op = op;
  e->operand = std::move(operand);
  return e;
}

ExprPtr field(const Location& loc, ExprPtr base, std::string name, bool is_arrow) {
  auto e = node<FieldAccess>(loc);
  e->base = std::move(base);
  e->field = std::move(name);
  e->is_arrow = is_arrow;
  return e;
}

StmtPtr assign_map(const Location& loc, MapPtr map, ExprPtr value, std::optional<BinaryOp> compound,
                   const Location& op_loc) {
  auto s = node<AssignMap>(loc);
  s->op_loc = op_loc;
  s->map = std::move(map);
  s->value = std::move(value);
  s->compound = compound;
  return s;
}

StmtPtr assign_var(const Location& loc, VariablePtr var, ExprPtr value,
                   std::optional<BinaryOp> compound, const Location& op_loc) {
  auto s = node<AssignVar>(loc);
  s->op_loc = op_loc;
  s->var = std::move(var);
  s->value = std::move(value);
  s->compound = compound;
  return s;
}

StmtPtr let_var(const Location& loc, VariablePtr var, std::optional<TypeSpec> declared,
                ExprPtr value) {
  auto s = node<AssignVar>(loc);
  s->var = std::move(var);
  s->value = std::move(value);
  s->is_let = true;
  s->declared = std::move(declared);
  return s;
}

StmtPtr jump(const Location& loc, JumpKind kind, ExprPtr value) {
  auto s = node<Jump>(loc);
  s->kind = kind;
  s->value = std::move(value);
  return s;
}

std::vector<std::string> split_attach_point(const std::string& raw) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (quoted && c == '\\' && i + 1 < raw.size()) {
      parts.back() += raw[++i];
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ':' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

} // namespace tracelet::parser
