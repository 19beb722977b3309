#include "parser/nesting.h"

#include <string>
#include <utility>
#include <vector>

namespace tracelet::parser {

using namespace ast;

namespace {

// Calls `take(std::unique_ptr<T>&)` for every child node that `n` owns through a pointer, and
// `block(Block&)` for every block it holds by value. One level only: no recursion.
template <class Take, class OnBlock> void for_each_child(Node& n, Take&& take, OnBlock&& block) {
  if (auto* e = dynamic_cast<Binary*>(&n)) {
    take(e->lhs);
    take(e->rhs);
  } else if (auto* e = dynamic_cast<Unary*>(&n)) {
    take(e->operand);
  } else if (auto* e = dynamic_cast<Ternary*>(&n)) {
    take(e->cond);
    take(e->then_expr);
    take(e->else_expr);
  } else if (auto* e = dynamic_cast<Call*>(&n)) {
    for (auto& a : e->args)
      take(a);
  } else if (auto* e = dynamic_cast<Map*>(&n)) {
    for (auto& k : e->keys)
      take(k);
  } else if (auto* e = dynamic_cast<FieldAccess*>(&n)) {
    take(e->base);
  } else if (auto* e = dynamic_cast<TupleIndex*>(&n)) {
    take(e->base);
  } else if (auto* e = dynamic_cast<Index*>(&n)) {
    take(e->base);
    take(e->index);
  } else if (auto* e = dynamic_cast<Cast*>(&n)) {
    take(e->operand);
  } else if (auto* e = dynamic_cast<Tuple*>(&n)) {
    for (auto& x : e->elems)
      take(x);
  } else if (auto* e = dynamic_cast<Sizeof*>(&n)) {
    take(e->of_expr);
  } else if (auto* s = dynamic_cast<Block*>(&n)) {
    for (auto& st : s->stmts)
      take(st);
  } else if (auto* s = dynamic_cast<BlockStmt*>(&n)) {
    block(s->block);
  } else if (auto* s = dynamic_cast<ExprStmt*>(&n)) {
    take(s->expr);
  } else if (auto* s = dynamic_cast<AssignMap*>(&n)) {
    take(s->map);
    take(s->value);
  } else if (auto* s = dynamic_cast<AssignVar*>(&n)) {
    take(s->var);
    take(s->value);
  } else if (auto* s = dynamic_cast<If*>(&n)) {
    take(s->cond);
    block(s->then_block);
    if (s->else_block) block(*s->else_block);
  } else if (auto* s = dynamic_cast<While*>(&n)) {
    take(s->cond);
    block(s->body);
  } else if (auto* s = dynamic_cast<Unroll*>(&n)) {
    take(s->count);
    block(s->body);
  } else if (auto* s = dynamic_cast<Jump*>(&n)) {
    take(s->value);
  } else if (auto* s = dynamic_cast<For*>(&n)) {
    take(s->var);
    take(s->map);
    take(s->range_start);
    take(s->range_end);
    block(s->body);
  } else if (auto* p = dynamic_cast<Probe*>(&n)) {
    take(p->predicate);
    block(p->body);
  }
}

// The first node deeper than `limit` under `root`, or nullptr.
const Node* too_deep(Node& root, int limit) {
  std::vector<std::pair<Node*, int>> stack{{&root, 0}};
  while (!stack.empty()) {
    Node* n = stack.back().first;
    int depth = stack.back().second; // not a structured binding: clang cannot capture those
    stack.pop_back();
    if (depth > limit) return n;
    auto push = [&](auto& child) {
      if (child) stack.emplace_back(child.get(), depth + 1);
    };
    auto push_block = [&](Block& b) { stack.emplace_back(&b, depth + 1); };
    for_each_child(*n, push, push_block);
  }
  return nullptr;
}

} // namespace

bool check_nesting(Program& program, Diagnostics& diags, int limit) {
  bool ok = true;
  for (auto& probe : program.probes) {
    if (const Node* n = too_deep(*probe, limit)) {
      diags.error(n->loc, "nested too deeply (limit " + std::to_string(limit) + ")");
      ok = false;
    }
  }
  return ok;
}

void destroy_iteratively(std::unique_ptr<Program> program) {
  if (!program) return;
  // Each node's children are moved out before the node dies, so every destructor that runs
  // finds its children gone.
  std::vector<std::unique_ptr<Node>> pending;
  for (auto& probe : program->probes)
    pending.push_back(std::move(probe));
  auto take = [&](auto& child) {
    if (child) pending.push_back(std::move(child));
  };
  auto take_block = [&](Block& b) {
    for (auto& st : b.stmts)
      take(st);
  };
  while (!pending.empty()) {
    std::unique_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    for_each_child(*n, take, take_block);
  }
}

} // namespace tracelet::parser
