// kstack(...), ustack(...), ksym(addr), usym(addr): values the runtime symbolizes.
//   kstack / ustack                 default mode (bpftrace) and depth (127)
//   kstack(N)                       depth N
//   kstack(bpftrace|perf [, N])     mode, optionally depth
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

namespace {

// The mode is written as a bare identifier, which the parser reads as a builtin name.
std::optional<bool> stack_mode(const Expr& e) {
  auto* b = dynamic_cast<const Builtin*>(&e);
  if (!b) return std::nullopt;
  if (b->name == "bpftrace") return false;
  if (b->name == "perf") return true;
  return std::nullopt;
}

} // namespace

void TypeInference::type_symbol_call(Call& n) {
  if (n.func == "ksym" || n.func == "usym") {
    walk(n.args[0]);
    const Expr& addr = *n.args[0];
    if (addr.type.is_none()) return report_missing_value(addr, diags_);
    if (!is_integer_like(addr.type)) {
      diags_.error(addr.loc, n.func + "() needs an integer address, not " + addr.type.str());
      return;
    }
    n.type = n.func == "ksym" ? Type::ksym() : Type::usym();
    return;
  }
  bool user = n.func == "ustack";
  bool perf = false;
  uint32_t depth = Type::kDefaultStackDepth;
  size_t next = 0;
  if (!n.args.empty()) {
    if (auto mode = stack_mode(*n.args[0])) {
      perf = *mode;
      next = 1;
    } else if (dynamic_cast<const Builtin*>(n.args[0].get()) && n.args.size() == 2) {
      diags_.error(n.args[0]->loc, n.func + "() mode must be bpftrace or perf");
      return;
    }
  }
  if (next < n.args.size()) {
    const Expr& arg = *n.args[next];
    auto* lit = dynamic_cast<const Integer*>(&arg);
    if (!lit) {
      if (next == 0 && dynamic_cast<const Builtin*>(&arg))
        diags_.error(arg.loc, n.func + "() mode must be bpftrace or perf");
      else
        diags_.error(arg.loc, n.func + "() depth must be an integer literal");
      return;
    }
    if (lit->value < 1 || lit->value > Type::kMaxStackDepth) {
      diags_.error(arg.loc, n.func + "() depth must be between 1 and " +
                                std::to_string(Type::kMaxStackDepth) + ", not " +
                                std::to_string(lit->value));
      return;
    }
    depth = static_cast<uint32_t>(lit->value);
    ++next;
  }
  if (next < n.args.size()) {
    diags_.error(n.args[next]->loc, n.func + "() takes a mode and then a depth");
    return;
  }
  n.type = Type::stack(user, perf, depth);
}

} // namespace tracelet::ast::passes
