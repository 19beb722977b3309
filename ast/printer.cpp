// `-d ast`: one node per line, children indented one space more than their parent, the
// expression's type after `::` once type inference has set it. Modelled on bpftrace's dump.
#include "ast/printer.h"

#include <cstdio>
#include <string>

namespace tracelet::ast {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '"':
      out += "\\\"";
      break;
    default:
      if (c < 0x20 || c >= 0x7f) {
        char buf[8];
        snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out;
}

std::string spell(const TypeSpec& t) {
  std::string s = t.name;
  if (t.pointer_depth > 0) s += " " + std::string(t.pointer_depth, '*');
  if (t.array_size) s += "[" + std::to_string(*t.array_size) + "]";
  return s;
}

const char* jump_name(JumpKind k) {
  switch (k) {
  case JumpKind::Return:
    return "return";
  case JumpKind::Break:
    return "break";
  case JumpKind::Continue:
    return "continue";
  }
  return "?";
}

class Printer : public Visitor {
public:
  explicit Printer(std::ostream& out) : out_(out) {}

  void visit(Integer& n) override { expr("int: " + std::to_string(n.value), n); }
  void visit(String& n) override { expr("string: " + escape(n.value), n); }
  void visit(PositionalParam& n) override {
    expr(n.is_count ? "param: $#" : "param: $" + std::to_string(n.index), n);
  }
  void visit(Builtin& n) override { expr("builtin: " + n.name, n); }
  void visit(Call& n) override {
    expr("call: " + n.func, n);
    Nest in(*this);
    for (auto& a : n.args)
      walk(a);
  }
  void visit(Map& n) override {
    expr("map: " + n.name, n);
    Nest in(*this);
    for (auto& k : n.keys)
      walk(k);
  }
  void visit(Variable& n) override { expr("variable: " + n.name, n); }
  void visit(Binary& n) override {
    expr(to_string(n.op), n);
    Nest in(*this);
    walk(n.lhs);
    walk(n.rhs);
  }
  void visit(Unary& n) override {
    // `*` and `&` would read like the binary operators in the dump.
    expr(n.op == UnaryOp::Deref    ? "dereference"
         : n.op == UnaryOp::AddrOf ? "address of"
                                   : to_string(n.op),
         n);
    Nest in(*this);
    walk(n.operand);
  }
  void visit(Ternary& n) override {
    expr("?:", n);
    Nest in(*this);
    walk(n.cond);
    walk(n.then_expr);
    walk(n.else_expr);
  }
  void visit(FieldAccess& n) override {
    expr((n.is_arrow ? "->" : ".") + n.field, n);
    Nest in(*this);
    walk(n.base);
  }
  void visit(TupleIndex& n) override {
    expr("." + std::to_string(n.index), n);
    Nest in(*this);
    walk(n.base);
  }
  void visit(Index& n) override {
    expr("[]", n);
    Nest in(*this);
    walk(n.base);
    walk(n.index);
  }
  void visit(Cast& n) override {
    expr("(" + spell(n.target) + ")", n);
    Nest in(*this);
    walk(n.operand);
  }
  void visit(Tuple& n) override {
    expr("tuple:", n);
    Nest in(*this);
    for (auto& e : n.elems)
      walk(e);
  }
  void visit(Sizeof& n) override {
    expr(n.of_type ? "sizeof: " + spell(*n.of_type) : std::string("sizeof"), n);
    Nest in(*this);
    walk(n.of_expr);
  }
  void visit(Offsetof& n) override { expr("offsetof: " + spell(n.record) + ", " + n.field, n); }

  void visit(Block& n) override {
    for (auto& s : n.stmts)
      walk(s);
  }
  void visit(BlockStmt& n) override { child_block("block", n.block); }
  void visit(ExprStmt& n) override { walk(n.expr); }
  void visit(AssignMap& n) override {
    line(assign_op(n.compound));
    Nest in(*this);
    walk(n.map);
    walk(n.value);
  }
  void visit(AssignVar& n) override {
    line(n.is_let ? "let" : assign_op(n.compound));
    Nest in(*this);
    walk(n.var);
    if (n.declared) line("type: " + spell(*n.declared));
    walk(n.value);
  }
  void visit(If& n) override {
    line("if");
    Nest in(*this);
    walk(n.cond);
    child_block("then", n.then_block);
    if (n.else_block) child_block("else", *n.else_block);
  }
  void visit(While& n) override {
    line("while");
    Nest in(*this);
    walk(n.cond);
    child_block("body", n.body);
  }
  void visit(Unroll& n) override {
    line("unroll");
    Nest in(*this);
    walk(n.count);
    child_block("body", n.body);
  }
  void visit(Jump& n) override {
    line(jump_name(n.kind));
    Nest in(*this);
    walk(n.value);
  }
  void visit(For& n) override {
    line("for");
    Nest in(*this);
    walk(n.var);
    if (n.map) {
      walk(n.map);
    } else {
      line("range");
      Nest range(*this);
      walk(n.range_start);
      walk(n.range_end);
    }
    child_block("body", n.body);
  }

  void visit(AttachPoint& n) override { line("attach: " + n.raw); }
  void visit(Probe& n) override {
    line("probe");
    Nest in(*this);
    for (auto& ap : n.attach_points)
      walk(ap);
    for (auto& ap : n.expanded)
      line("expanded: " + ap->name());
    if (n.predicate) {
      line("pred");
      Nest pred(*this);
      walk(n.predicate);
    }
    visit(n.body);
  }
  void visit(Program& n) override {
    line("Program");
    Nest in(*this);
    for (auto& inc : n.includes)
      line("include: " + inc);
    for (auto& def : n.c_definitions) {
      line("c definition");
      Nest text(*this);
      size_t start = 0;
      while (start <= def.text.size()) {
        size_t nl = def.text.find('\n', start);
        line(def.text.substr(start, nl == std::string::npos ? nl : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    for (auto& p : n.probes)
      walk(p);
  }

private:
  // Indents everything printed while it lives by one more space.
  struct Nest {
    explicit Nest(Printer& p) : p(p) { ++p.depth_; }
    ~Nest() { --p.depth_; }
    Printer& p;
  };

  static std::string assign_op(const std::optional<BinaryOp>& compound) {
    return compound ? std::string(to_string(*compound)) + "=" : "=";
  }

  void line(const std::string& text) { out_ << std::string(depth_, ' ') << text << "\n"; }
  void expr(const std::string& text, const Expr& e) {
    line(e.type.is_none() ? text : text + " :: " + e.type.str());
  }
  void child_block(const std::string& label, Block& b) {
    line(label);
    Nest in(*this);
    visit(b);
  }

  std::ostream& out_;
  int depth_ = 0;
};

} // namespace

void print_ast(Program& program, std::ostream& out) {
  Printer printer(out);
  printer.visit(program);
}

} // namespace tracelet::ast
