// Statements: assignments, control flow, calls.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"
#include "codegen/integer_ops.h"

#include <cstdlib>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

const char* kAggregations[] = {"count", "sum", "avg", "min", "max", "stats", "hist", "lhist"};

bool is_aggregation_call(const ast::Expr* e) {
  auto* c = dynamic_cast<const ast::Call*>(e);
  if (!c) return false;
  for (const char* f : kAggregations)
    if (c->func == f) return true;
  return false;
}

// Whether evaluating `e` changes a variable or a map element (++ or --), so that the order in
// which a statement evaluates its parts shows in its result.
bool increments(ast::Expr& e) {
  struct Finder : ast::Visitor {
    bool found = false;
    void visit(ast::Unary& u) override {
      using Op = ast::UnaryOp;
      found = found || u.op == Op::PreInc || u.op == Op::PreDec || u.op == Op::PostInc ||
              u.op == Op::PostDec;
      ast::Visitor::visit(u);
    }
  } finder;
  e.accept(finder);
  return finder.found;
}

} // namespace

void IrEmitter::start_dead_block() {
  b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "unreachable", fn_));
}

void IrEmitter::emit_block(ast::Block& block) {
  for (auto& stmt : block.stmts)
    emit_stmt(*stmt);
}

void IrEmitter::emit_stmt(ast::Stmt& stmt) {
  LocationScope at(*this, stmt.loc);
  size_t mark = temporaries_.size();
  emit_stmt_body(stmt);
  end_temporaries(mark);
}

void IrEmitter::emit_stmt_body(ast::Stmt& stmt) {
  if (auto* s = dynamic_cast<ast::ExprStmt*>(&stmt)) {
    if (auto* c = dynamic_cast<ast::Call*>(s->expr.get()))
      emit_call_stmt(*c);
    else if (auto* t = dynamic_cast<ast::Ternary*>(s->expr.get()); t && t->type.is_none())
      emit_statement_ternary(*t); // `c ? printf(..) : exit()`
    else if (s->expr->type.kind == TypeKind::Integer)
      emit_scalar(*s->expr); // e.g. $x++, @x++
    else
      emit_addr(*s->expr);
  } else if (auto* s = dynamic_cast<ast::AssignVar*>(&stmt)) {
    emit_assign_var(*s);
  } else if (auto* s = dynamic_cast<ast::AssignMap*>(&stmt)) {
    emit_assign_map(*s);
  } else if (auto* s = dynamic_cast<ast::If*>(&stmt)) {
    emit_if(*s);
  } else if (auto* s = dynamic_cast<ast::While*>(&stmt)) {
    emit_while(*s);
  } else if (auto* s = dynamic_cast<ast::Unroll*>(&stmt)) {
    emit_unroll(*s);
  } else if (auto* s = dynamic_cast<ast::Jump*>(&stmt)) {
    emit_jump(*s);
  } else if (auto* s = dynamic_cast<ast::BlockStmt*>(&stmt)) {
    emit_block(s->block);
  } else if (auto* s = dynamic_cast<ast::For*>(&stmt)) {
    emit_for(*s);
  } else {
    unsupported_at(stmt, "this statement");
  }
}

llvm::Value* IrEmitter::variable_slot(ast::Variable& var, const Type& type) {
  auto it = vars_.find(var.binding);
  if (it != vars_.end()) return it->second.first;
  auto* slot = stack_buffer(type.size(), var.name.substr(1), /*temporary=*/false);
  vars_.emplace(var.binding, std::make_pair(slot, type));
  return slot;
}

void IrEmitter::emit_assign_var(ast::AssignVar& s) {
  Type type = s.var->type.is_none() && s.value ? s.value->type : s.var->type;
  auto* slot = variable_slot(*s.var, type);
  const Type& slot_type = vars_.at(s.var->binding).second;
  if (!s.value) { // `let $x: T;` starts zeroed
    zero_bytes(slot, slot_type.size(), 8);
    return;
  }
  if (s.compound) {
    if (!slot_type.is_integer() && slot_type.kind != TypeKind::Pointer)
      unsupported_at(s, "compound assignment to a " + slot_type.str() + " variable");
    auto* cur = widen(load_scalar(scalar_type(slot_type), slot, 8), slot_type);
    auto* rhs = scaled_by_pointee(widen(emit_scalar(*s.value), s.value->type), slot_type);
    auto* v = integer_op(b_, *s.compound, cur, rhs);
    if (!v) unsupported_at(s, "this compound assignment");
    store_scalar(convert_int(v, Type::u64(), slot_type), slot);
    return;
  }
  // Zero-filled: a variable may later become (part of) a map key, where bytes after a
  // string's NUL count.
  emit_into(*s.value, slot_type, slot, true);
}

void IrEmitter::emit_assign_map(ast::AssignMap& s) {
  if (is_aggregation_call(s.value.get())) {
    emit_aggregation(*s.map, static_cast<ast::Call&>(*s.value));
    return;
  }
  if (s.map->type.is_none()) s.map->type = s.value->type;
  bool first_use = maps_.find_user(s.map->name) == nullptr;
  UserMap& um = user_map(*s.map);
  if (first_use && um.value.is_aggregation()) copy_aggregation_sign(*s.map, *s.value, um);
  auto* value = stack_buffer(um.value.size(), "map_value");
  llvm::Value* key = nullptr;
  if (s.compound) {
    // @m[k] op= v is bpftrace's @m[k] = @m[k] op v: read (0 if missing), evaluate v,
    // combine, and write back at the key evaluated again (it differs only if k or v has a
    // ++ or --: `@m[$i] += $i++` writes at the new $i, as in bpftrace 0.17).
    if (!um.value.is_integer() && um.value.kind != TypeKind::Pointer)
      unsupported_at(s, "compound assignment to a " + um.value.str() + " map");
    key = emit_map_key(*s.map, um);
    auto* cur = widen(emit_map_scalar(*s.map, key), s.map->type);
    auto* rhs = scaled_by_pointee(widen(emit_scalar(*s.value), s.value->type), um.value);
    auto* v = integer_op(b_, *s.compound, cur, rhs);
    if (!v) unsupported_at(s, "this compound assignment");
    store_scalar(v, value);
    bool again = increments(*s.value);
    for (auto& k : s.map->keys)
      again = again || increments(*k);
    if (again) key = emit_map_key(*s.map, um);
  } else {
    // The value first, then the key, as bpftrace 0.17: `@[$i] = --$i` writes at the new $i.
    emit_into(*s.value, um.value, value, true); // no stale stack bytes in map values
    key = emit_map_key(*s.map, um);
  }
  emit_map_update(um.gv, key, value);
}

void IrEmitter::emit_if(ast::If& s) {
  auto* then_bb = llvm::BasicBlock::Create(ctx_, "if_then", fn_);
  auto* else_bb = s.else_block ? llvm::BasicBlock::Create(ctx_, "if_else", fn_) : nullptr;
  auto* done = llvm::BasicBlock::Create(ctx_, "if_done", fn_);
  b_.CreateCondBr(emit_cond(*s.cond), then_bb, else_bb ? else_bb : done);
  b_.SetInsertPoint(then_bb);
  emit_block(s.then_block);
  b_.CreateBr(done);
  if (else_bb) {
    b_.SetInsertPoint(else_bb);
    emit_block(*s.else_block);
    b_.CreateBr(done);
  }
  b_.SetInsertPoint(done);
}

void IrEmitter::emit_while(ast::While& s) {
  // Bounded loops are verified by the kernel (5.3+); the verifier rejects unbounded ones.
  auto* cond_bb = llvm::BasicBlock::Create(ctx_, "while_cond", fn_);
  auto* body_bb = llvm::BasicBlock::Create(ctx_, "while_body", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "while_done", fn_);
  b_.CreateBr(cond_bb);
  b_.SetInsertPoint(cond_bb);
  b_.CreateCondBr(emit_cond(*s.cond), body_bb, done);
  b_.SetInsertPoint(body_bb);
  emit_loop_body(s.body, {done, cond_bb});
  b_.SetInsertPoint(done);
}

void IrEmitter::emit_loop_body(ast::Block& body, LoopTargets targets) {
  loops_.push_back(targets);
  emit_block(body);
  loops_.pop_back();
  b_.CreateBr(targets.continue_to);
}

void IrEmitter::emit_unroll(ast::Unroll& s) {
  // A literal, or a positional parameter that type inference resolved to its text.
  uint64_t n = 0;
  if (auto* literal = dynamic_cast<ast::Integer*>(s.count.get()))
    n = literal->value;
  else if (auto* param = dynamic_cast<ast::PositionalParam*>(s.count.get()))
    n = std::strtoull(param->value.c_str(), nullptr, 0);
  else
    unsupported_at(s, "unroll with a non-literal count");
  // The body emitted N times; `continue` goes to the next copy, `break` past the last.
  auto* done = llvm::BasicBlock::Create(ctx_, "unroll_done", fn_);
  for (uint64_t i = 0; i < n; ++i) {
    auto* next = llvm::BasicBlock::Create(ctx_, "unroll_next", fn_);
    emit_loop_body(s.body, {done, next});
    b_.SetInsertPoint(next);
  }
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void IrEmitter::emit_return() {
  if (loop_ctx_) {
    store_scalar(i64c(1), byte_ptr(loop_ctx_, kLoopCtxReturned));
    b_.CreateRet(i64c(1)); // 1 stops the loop
  } else {
    b_.CreateRet(pass_verdict());
  }
  start_dead_block();
}

void IrEmitter::emit_jump(ast::Jump& s) {
  if (s.kind == ast::JumpKind::Return && s.value && is_packet_program()) {
    // `return VERDICT;` (packet.cpp): the program's result.
    if (loop_ctx_) unsupported_at(s, "a verdict inside a for loop's body");
    b_.CreateRet(widen(emit_scalar(*s.value), s.value->type));
    start_dead_block();
    return;
  }
  if (s.kind == ast::JumpKind::Return) {
    emit_return();
    return;
  }
  if (loops_.empty()) unsupported_at(s, "break/continue outside a loop");
  b_.CreateBr(s.kind == ast::JumpKind::Break ? loops_.back().break_to : loops_.back().continue_to);
  start_dead_block();
}

} // namespace tracelet::codegen
