// Positional parameters where bpftrace needs a constant: in attach points
// (`interval:ms:$1`, `uprobe:$1:main`), as the literal arguments of lhist() bounds, strncmp()
// lengths, kstack()/ustack() depths and print()'s top and div, and as `str($1 + N)` (the argument
// from its N-th character). Runs before the other passes: attach points get the argument's text,
// literal positions an Integer node, so that every later pass and codegen see plain constants.
#include "ast/passes/passes.h"

#include <cctype>

namespace tracelet::ast::passes {

namespace {

// The text of $index, or nullopt if not given.
std::optional<std::string> param_text(const SemanticOptions& options, int index) {
  if (index < 1 || static_cast<size_t>(index) > options.positional_params.size())
    return std::nullopt;
  return options.positional_params[index - 1];
}

class PositionalConstants : public Visitor {
public:
  using Visitor::visit;
  PositionalConstants(Diagnostics& diags, const SemanticOptions& options)
      : diags_(diags), options_(options) {}

  void visit(Call& n) override {
    Visitor::visit(n);
    if (n.func == "lhist") {
      for (size_t i = 1; i < n.args.size() && i <= 3; ++i)
        make_literal(n.args[i]);
    } else if (n.func == "print") {
      for (size_t i = 1; i < n.args.size(); ++i) // print(@m, $1, $2): top and div
        make_literal(n.args[i]);
    } else if (n.func == "strncmp" && n.args.size() == 3) {
      make_literal(n.args[2]);
    } else if ((n.func == "kstack" || n.func == "ustack") && !n.args.empty()) {
      make_literal(n.args.back()); // the depth is the last argument
    } else if (n.func == "str" && !n.args.empty()) {
      string_with_offset(n);
    }
  }

private:
  // $N whose text is a number -> that Integer (negative: Unary(Neg, Integer)); a missing one
  // is 0, as bpftrace reads it. Text that is not a number is left for type inference to report.
  void make_literal(ExprPtr& arg) {
    auto* p = dynamic_cast<PositionalParam*>(arg.get());
    if (!p) return;
    int64_t value = 0;
    if (p->is_count) {
      value = static_cast<int64_t>(options_.positional_params.size());
    } else if (auto text = param_text(options_, p->index)) {
      auto number = parse_integer_param(*text); // none for "": given empty, as bpftrace reports
      if (!number) return;
      value = *number;
    }
    auto lit = std::make_unique<Integer>();
    lit->loc = p->loc;
    lit->value = static_cast<uint64_t>(value < 0 ? -value : value);
    if (value >= 0) {
      arg = std::move(lit);
      return;
    }
    auto neg = std::make_unique<Unary>();
    neg->loc = p->loc;
    neg->op = UnaryOp::Neg;
    neg->operand = std::move(lit);
    arg = std::move(neg);
  }

  // str($N + K) with a $N that is text (not a number): the text from its K-th character.
  void string_with_offset(Call& n) {
    auto* sum = dynamic_cast<Binary*>(n.args[0].get());
    if (!sum || sum->op != BinaryOp::Add) return;
    auto* p = dynamic_cast<PositionalParam*>(sum->lhs.get());
    auto* k = dynamic_cast<Integer*>(sum->rhs.get());
    if (!p || p->is_count || !k) return;
    std::string text = param_text(options_, p->index).value_or("");
    if (!text.empty() && parse_integer_param(text)) return; // a number: address arithmetic
    if (k->value > text.size()) {
      diags_.error(sum->loc, "str($" + std::to_string(p->index) + " + " + std::to_string(k->value) +
                                 "): the offset is past the end of $" + std::to_string(p->index) +
                                 " (which is " + std::to_string(text.size()) + " characters long)");
      return;
    }
    p->offset = k->value;
    p->loc = sum->loc;
    n.args[0] = std::move(sum->lhs);
  }

  Diagnostics& diags_;
  const SemanticOptions& options_;
};

// "$N" in an attach point -> the argument's text, in `raw` and in each part; false (with an
// error) if one is missing.
bool substitute_attach_point(AttachPoint& ap, Diagnostics& diags, const SemanticOptions& options) {
  if (ap.raw.find('$') == std::string::npos) return true;
  bool ok = true;
  auto substitute = [&](const std::string& in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] != '$' || i + 1 >= in.size() ||
          !std::isdigit(static_cast<unsigned char>(in[i + 1]))) {
        out += in[i];
        continue;
      }
      size_t j = i + 1;
      while (j < in.size() && std::isdigit(static_cast<unsigned char>(in[j])))
        ++j;
      int index = std::stoi(in.substr(i + 1, j - i - 1));
      auto text = param_text(options, index);
      if ((!text || text->empty()) && ok) {
        diags.error(ap.loc, "attach point " + ap.raw + " uses $" + std::to_string(index) +
                                ", but no positional parameter $" + std::to_string(index) +
                                " is given");
        ok = false;
      }
      out += text.value_or("");
      i = j - 1;
    }
    return out;
  };
  for (auto& part : ap.parts)
    part = substitute(part);
  ap.raw = substitute(ap.raw);
  return ok;
}

} // namespace

bool substitute_positional_params(Program& program, Diagnostics& diags,
                                  const SemanticOptions& options) {
  bool attach_points_ok = true;
  for (auto& probe : program.probes)
    for (auto& ap : probe->attach_points)
      if (!substitute_attach_point(*ap, diags, options)) attach_points_ok = false;
  PositionalConstants pass(diags, options);
  program.accept(pass);
  return attach_points_ok;
}

} // namespace tracelet::ast::passes
