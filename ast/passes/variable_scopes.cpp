// Variable scopes: which declaration each `$x` names (Variable::binding), and the errors of a
// name used where no declaration of it is visible, or declared where one already is.
//
// Plain assignments keep bpftrace 0.17's probe-wide scope; the newer forms (`let`, `for`) have
// newer bpftrace's block scope:
//  - `$x = e` where no $x is visible declares $x for the rest of the innermost function: the
//    probe, also when the assignment is inside an if/while/unroll block (as in 0.17), or the
//    body of a for loop (which runs as a callback of its own, as in newer bpftrace).
//  - `let $x [: type] [= e]` declares $x for the rest of the innermost block: `{ }`, an if or
//    else block, a while or unroll body, a for body, the probe.
//  - a for loop's variable is declared for the loop's body.
//  - `let $x` or `for ($x ...)` while a $x is visible is an error: no shadowing.
//  - reading a variable (also `$x++`, `$x += e`) with no visible declaration is an error; the
//    body of a for loop sees, and may assign, the variables declared before the loop.
// Warnings, as newer bpftrace: a `let` variable read before anything is assigned to it (it
// reads as zero), and one never assigned at all.
#include "ast/passes/map_types.h"
#include "ast/passes/passes.h"

#include <map>
#include <optional>

namespace tracelet::ast::passes {

namespace {

struct Declaration {
  std::string name;
  int binding = 0;
  Location loc;
  bool is_let = false;
  bool typed = false;    // `let $x: type`
  bool assigned = false; // assigned somewhere before this point in program order
  bool ever_assigned = false;
  bool read = false;
  std::optional<Location> read_unassigned; // the first read before any assignment
};

struct Scope {
  bool is_function = false; // probe body or for body: where plain assignments declare
  std::map<std::string, Declaration*> names;
};

class VariableScopes : public Visitor {
public:
  using Visitor::visit;
  explicit VariableScopes(Diagnostics& diags) : diags_(diags) {}

  void visit(Probe& n) override {
    declarations_.clear();
    next_binding_ = 1;
    walk(n.predicate);
    scopes_.push_back(Scope{true, {}});
    visit(n.body);
    scopes_.pop_back();
    // Warnings once the whole probe is seen. A `let $x;` that is read but never assigned has
    // no type, which type inference reports as an error instead.
    for (const auto& d : declarations_) {
      bool typeless = d->is_let && !d->ever_assigned && !d->typed;
      if (d->read_unassigned && !typeless)
        diags_.warning(*d->read_unassigned,
                       d->name + " is read before it is assigned a value (it reads as 0)");
      if (typeless && !d->read)
        diags_.warning(d->loc, d->name + " is declared but never assigned a value");
    }
  }

  void visit(BlockStmt& n) override { scoped(n.block); }
  void visit(If& n) override {
    walk(n.cond);
    scoped(n.then_block);
    if (n.else_block) scoped(*n.else_block);
  }
  void visit(While& n) override {
    walk(n.cond);
    scoped(n.body);
  }
  void visit(Unroll& n) override {
    walk(n.count);
    scoped(n.body);
  }

  void visit(For& n) override {
    walk(n.map);
    walk(n.range_start);
    walk(n.range_end);
    Variable& var = *n.var;
    if (Declaration* existing = find(var.name))
      diags_.error(var.loc, "loop variable " + var.name + " shadows the variable declared at " +
                                where(existing->loc) + ": choose another name");
    scopes_.push_back(Scope{true, {}});
    Declaration* d = declare(var, var.loc, scopes_.back());
    d->assigned = d->ever_assigned = true;
    visit(n.body);
    scopes_.pop_back();
  }

  void visit(AssignVar& n) override {
    walk(n.value);
    Variable& var = *n.var;
    if (n.is_let) {
      if (Declaration* existing = find(var.name)) {
        diags_.error(var.loc, var.name + " is already declared at " + where(existing->loc) +
                                  ": variable shadowing is not allowed");
        var.binding = existing->binding; // typed as the visible one: no cascade of errors
        if (n.value) existing->assigned = existing->ever_assigned = true;
        return;
      }
      Declaration* d = declare(var, n.loc, scopes_.back());
      d->is_let = true;
      d->typed = n.declared.has_value();
      if (n.value) d->assigned = d->ever_assigned = true;
      return;
    }
    if (n.compound) {
      use(var); // `$x op= e` reads $x
      if (Declaration* d = find(var.name)) d->assigned = d->ever_assigned = true;
      return;
    }
    Declaration* d = find(var.name);
    if (!d) d = declare(var, var.loc, function_scope());
    var.binding = d->binding;
    d->assigned = d->ever_assigned = true;
  }

  void visit(Unary& n) override {
    walk(n.operand);
    bool is_step = n.op == UnaryOp::PreInc || n.op == UnaryOp::PreDec || n.op == UnaryOp::PostInc ||
                   n.op == UnaryOp::PostDec;
    if (auto* v = dynamic_cast<Variable*>(n.operand.get()); v && is_step)
      if (Declaration* d = find(v->name)) d->assigned = d->ever_assigned = true;
  }

  void visit(Sizeof& n) override {
    ++meta_depth_; // sizeof($x) reads no value
    walk(n.of_expr);
    --meta_depth_;
  }

  void visit(Variable& n) override { use(n); }

private:
  void scoped(Block& b) {
    scopes_.push_back(Scope{false, {}});
    visit(b);
    scopes_.pop_back();
  }

  Declaration* find(const std::string& name) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
      if (auto found = it->names.find(name); found != it->names.end()) return found->second;
    return nullptr;
  }

  Scope& function_scope() {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
      if (it->is_function) return *it;
    return scopes_.front();
  }

  Declaration* declare(Variable& var, const Location& loc, Scope& scope) {
    declarations_.push_back(std::make_unique<Declaration>());
    Declaration* d = declarations_.back().get();
    d->name = var.name;
    d->binding = next_binding_++;
    d->loc = loc;
    scope.names[var.name] = d;
    var.binding = d->binding;
    return d;
  }

  void use(Variable& var) {
    Declaration* d = scopes_.empty() ? nullptr : find(var.name);
    if (!d) {
      diags_.error(var.loc, "undefined variable " + var.name);
      return;
    }
    var.binding = d->binding;
    if (meta_depth_ > 0) return;
    d->read = true;
    if (!d->assigned && !d->read_unassigned) d->read_unassigned = var.loc;
  }

  Diagnostics& diags_;
  std::vector<Scope> scopes_;
  std::vector<std::unique_ptr<Declaration>> declarations_;
  int next_binding_ = 1;
  int meta_depth_ = 0;
};

} // namespace

void resolve_variables(Program& program, Diagnostics& diags) {
  VariableScopes scopes(diags);
  program.accept(scopes);
}

} // namespace tracelet::ast::passes
