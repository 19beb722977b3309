// Control-flow checks that need no types: break/continue inside loops only, and unroll counts
// that are literals (or positional parameters) between 1 and 100.
#include "ast/passes/passes.h"

#include <charconv>

namespace tracelet::ast::passes {

namespace {

class ControlFlowChecker : public Visitor {
public:
  using Visitor::visit;
  ControlFlowChecker(Diagnostics& diags, const SemanticOptions& options)
      : diags_(diags), options_(options) {}

  void visit(While& n) override {
    walk(n.cond);
    ++loop_depth_;
    visit(n.body);
    --loop_depth_;
  }
  void visit(For& n) override {
    walk(n.range_start);
    walk(n.range_end);
    ++loop_depth_;
    visit(n.body);
    --loop_depth_;
  }
  void visit(Jump& n) override {
    if (n.kind != JumpKind::Return && loop_depth_ == 0)
      diags_.error(n.loc, std::string(n.kind == JumpKind::Break ? "break" : "continue") +
                              " used outside of a loop");
    walk(n.value);
  }
  void visit(Unroll& n) override {
    check_unroll_count(n);
    visit(n.body); // unroll is not a loop for break/continue: its body is copied N times
  }

private:
  void check_unroll_count(Unroll& n) {
    int64_t count = 0;
    const Location& loc = n.count ? n.count->loc : n.loc;
    if (auto* lit = dynamic_cast<Integer*>(n.count.get())) {
      count = static_cast<int64_t>(lit->value);
    } else if (auto* param = dynamic_cast<PositionalParam*>(n.count.get())) {
      if (param->is_count) {
        count = static_cast<int64_t>(options_.positional_params.size());
      } else if (param->index >= 1 &&
                 static_cast<size_t>(param->index) <= options_.positional_params.size()) {
        const std::string& text = options_.positional_params[param->index - 1];
        auto number = parse_integer_param(text);
        if (number)
          count = *number;
        else {
          diags_.error(loc, "unroll count must be an integer, but $" +
                                std::to_string(param->index) + " is \"" + text + "\"");
          return;
        }
      }
    } else {
      diags_.error(loc, "unroll count must be an integer literal or a positional parameter");
      return;
    }
    if (count < 1)
      diags_.error(loc, "unroll count must be at least 1, not " + std::to_string(count));
    else if (count > 100)
      diags_.error(loc, "unroll count must be at most 100, not " + std::to_string(count));
  }

  Diagnostics& diags_;
  const SemanticOptions& options_;
  int loop_depth_ = 0;
};

} // namespace

void check_control_flow(Program& program, Diagnostics& diags, const SemanticOptions& options) {
  ControlFlowChecker checker(diags, options);
  program.accept(checker);
}

} // namespace tracelet::ast::passes
