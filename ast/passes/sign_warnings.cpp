// Sign warnings on typed integer operators, with bpftrace's texts and locations (the operator):
// - `/` and `%` with two signed operands: BPF divides unsigned, so a negative operand does not
//   give C's result;
// - arithmetic or comparison of a signed with an unsigned integer.
// A non-negative integer literal takes the sign of the other operand (so `pid * 2` and
// `pid < 10` are quiet); two such literals count as unsigned.
#include "ast/passes/passes.h"

namespace tracelet::ast::passes {

namespace {

bool is_comparison(BinaryOp op) {
  return op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le ||
         op == BinaryOp::Gt || op == BinaryOp::Ge;
}

bool is_sign_sensitive_arithmetic(BinaryOp op) {
  return op == BinaryOp::Add || op == BinaryOp::Sub || op == BinaryOp::Mul || op == BinaryOp::Div ||
         op == BinaryOp::Mod;
}

bool is_non_negative_literal(const Expr& e) {
  auto* lit = dynamic_cast<const Integer*>(&e);
  return lit && lit->value <= static_cast<uint64_t>(INT64_MAX);
}

class SignWarnings : public Visitor {
public:
  using Visitor::visit;
  explicit SignWarnings(Diagnostics& diags) : diags_(diags) {}

  void visit(Binary& n) override {
    Visitor::visit(n);
    check(n.op, *n.lhs, n.lhs->type, *n.rhs, n.op_loc);
  }
  void visit(AssignVar& n) override {
    Visitor::visit(n);
    if (n.compound && n.value) check(*n.compound, *n.var, n.var->type, *n.value, n.op_loc);
  }
  void visit(AssignMap& n) override {
    Visitor::visit(n);
    if (n.compound && n.value) check(*n.compound, *n.map, n.map->type, *n.value, n.op_loc);
  }

private:
  void check(BinaryOp op, const Expr& lhs, const Type& lhs_type, const Expr& rhs,
             const Location& op_loc) {
    const Type& rhs_type = rhs.type;
    if (!lhs_type.is_integer() || !rhs_type.is_integer()) return;
    bool comparison = is_comparison(op);
    if (!comparison && !is_sign_sensitive_arithmetic(op)) return;
    bool lhs_free = is_non_negative_literal(lhs), rhs_free = is_non_negative_literal(rhs);
    bool lhs_signed = lhs_type.is_signed, rhs_signed = rhs_type.is_signed;
    if (lhs_free && rhs_free) return;
    if (lhs_free) lhs_signed = rhs_signed;
    if (rhs_free) rhs_signed = lhs_signed;
    if (lhs_signed != rhs_signed) {
      diags_.warning(op_loc, std::string(comparison ? "comparison of" : "arithmetic on") +
                                 " integers of different signs: '" + lhs_type.str() + "' and '" +
                                 rhs_type.str() + "' can lead to undefined behavior");
    } else if (lhs_signed && (op == BinaryOp::Div || op == BinaryOp::Mod)) {
      diags_.warning(op_loc, std::string("signed operands for '") + to_string(op) +
                                 "' can lead to undefined behavior (cast to unsigned to "
                                 "silence warning)");
    }
  }

  Diagnostics& diags_;
};

} // namespace

void warn_about_signs(Program& program, Diagnostics& diags) {
  SignWarnings pass(diags);
  pass.visit(program);
}

} // namespace tracelet::ast::passes
