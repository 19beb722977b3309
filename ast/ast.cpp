#include "ast/ast.h"

namespace tracelet::ast {

#define TRACELET_ACCEPT(T)                                                                         \
  void T::accept(Visitor& v) { v.visit(*this); }
TRACELET_ACCEPT(Integer)
TRACELET_ACCEPT(String)
TRACELET_ACCEPT(PositionalParam)
TRACELET_ACCEPT(Builtin)
TRACELET_ACCEPT(Call)
TRACELET_ACCEPT(Map)
TRACELET_ACCEPT(Variable)
TRACELET_ACCEPT(Binary)
TRACELET_ACCEPT(Unary)
TRACELET_ACCEPT(Ternary)
TRACELET_ACCEPT(FieldAccess)
TRACELET_ACCEPT(TupleIndex)
TRACELET_ACCEPT(Index)
TRACELET_ACCEPT(Cast)
TRACELET_ACCEPT(Tuple)
TRACELET_ACCEPT(Sizeof)
TRACELET_ACCEPT(Offsetof)
TRACELET_ACCEPT(Block)
TRACELET_ACCEPT(BlockStmt)
TRACELET_ACCEPT(ExprStmt)
TRACELET_ACCEPT(AssignMap)
TRACELET_ACCEPT(AssignVar)
TRACELET_ACCEPT(If)
TRACELET_ACCEPT(While)
TRACELET_ACCEPT(Unroll)
TRACELET_ACCEPT(Jump)
TRACELET_ACCEPT(For)
TRACELET_ACCEPT(AttachPoint)
TRACELET_ACCEPT(Probe)
TRACELET_ACCEPT(Program)
#undef TRACELET_ACCEPT

void Visitor::visit(Call& n) {
  for (auto& a : n.args)
    walk(a);
}
void Visitor::visit(Map& n) {
  for (auto& k : n.keys)
    walk(k);
}
void Visitor::visit(Binary& n) {
  walk(n.lhs);
  walk(n.rhs);
}
void Visitor::visit(Unary& n) { walk(n.operand); }
void Visitor::visit(Ternary& n) {
  walk(n.cond);
  walk(n.then_expr);
  walk(n.else_expr);
}
void Visitor::visit(FieldAccess& n) { walk(n.base); }
void Visitor::visit(TupleIndex& n) { walk(n.base); }
void Visitor::visit(Index& n) {
  walk(n.base);
  walk(n.index);
}
void Visitor::visit(Cast& n) { walk(n.operand); }
void Visitor::visit(Tuple& n) {
  for (auto& e : n.elems)
    walk(e);
}
void Visitor::visit(Sizeof& n) { walk(n.of_expr); }
void Visitor::visit(Block& n) {
  for (auto& s : n.stmts)
    walk(s);
}
void Visitor::visit(BlockStmt& n) { visit(n.block); }
void Visitor::visit(ExprStmt& n) { walk(n.expr); }
void Visitor::visit(AssignMap& n) {
  walk(n.map);
  walk(n.value);
}
void Visitor::visit(AssignVar& n) {
  walk(n.var);
  walk(n.value);
}
void Visitor::visit(If& n) {
  walk(n.cond);
  visit(n.then_block);
  if (n.else_block)
    visit(*n.else_block);
}
void Visitor::visit(While& n) {
  walk(n.cond);
  visit(n.body);
}
void Visitor::visit(Unroll& n) {
  walk(n.count);
  visit(n.body);
}
void Visitor::visit(Jump& n) { walk(n.value); }
void Visitor::visit(For& n) {
  walk(n.var);
  walk(n.map);
  walk(n.range_start);
  walk(n.range_end);
  visit(n.body);
}
void Visitor::visit(Probe& n) {
  for (auto& ap : n.attach_points)
    walk(ap);
  walk(n.predicate);
  visit(n.body);
}
void Visitor::visit(Program& n) {
  for (auto& p : n.probes)
    walk(p);
}

const char* to_string(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Mod: return "%";
  case BinaryOp::BitAnd: return "&";
  case BinaryOp::BitOr: return "|";
  case BinaryOp::BitXor: return "^";
  case BinaryOp::Shl: return "<<";
  case BinaryOp::Shr: return ">>";
  case BinaryOp::Eq: return "==";
  case BinaryOp::Ne: return "!=";
  case BinaryOp::Lt: return "<";
  case BinaryOp::Le: return "<=";
  case BinaryOp::Gt: return ">";
  case BinaryOp::Ge: return ">=";
  case BinaryOp::LogicalAnd: return "&&";
  case BinaryOp::LogicalOr: return "||";
  }
  return "?";
}

const char* to_string(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg: return "-";
  case UnaryOp::LogicalNot: return "!";
  case UnaryOp::BitNot: return "~";
  case UnaryOp::Deref: return "*";
  case UnaryOp::AddrOf: return "&";
  case UnaryOp::PreInc: return "++ (pre)";
  case UnaryOp::PreDec: return "-- (pre)";
  case UnaryOp::PostInc: return "++ (post)";
  case UnaryOp::PostDec: return "-- (post)";
  }
  return "?";
}

std::string AttachPoint::name() const {
  if (provider.empty())
    return raw;
  if (provider == "BEGIN" || provider == "END")
    return provider;
  if (provider == "interval" || provider == "profile")
    return provider + ":" + target + ":" + std::to_string(freq);
  if (provider == "software" || provider == "hardware") // the count is optional
    return provider + ":" + target + (freq ? ":" + std::to_string(freq) : "");
  if (provider == "watchpoint" || provider == "asyncwatchpoint") // see ast/watchpoints.h
    return provider + ":" + (func.empty() ? "" : target + ":" + func + ":") +
           std::to_string(offset) + ":" + std::to_string(freq) + ":" +
           (parts.size() == 4 ? parts[3] : "");
  if (provider == "xdp") // the mode is optional
    return provider + ":" + target + (func.empty() ? "" : ":" + func);
  std::string n = provider;
  if (!target.empty())
    n += ":" + target;
  n += ":" + func;
  if (offset)
    n += "+" + std::to_string(offset);
  return n;
}

} // namespace tracelet::ast
