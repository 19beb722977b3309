// Expressions: scalars as LLVM integers, everything larger through memory.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"
#include "ast/registers.h"
#include "codegen/integer_ops.h"
#include "codegen/probe_context.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

bool is_scalar(const Type& t) {
  return t.kind == TypeKind::Integer || t.kind == TypeKind::Pointer || t.kind == TypeKind::Probe ||
         t.kind == TypeKind::KStack || t.kind == TypeKind::UStack || t.kind == TypeKind::KSym ||
         t.kind == TypeKind::Username || t.kind == TypeKind::Strerror;
}

// Size of a type spelled in sizeof(): integer names and pointers; 0 if unknown here.
uint64_t spelled_type_size(const ast::TypeSpec& spec) {
  uint64_t size = 0;
  if (spec.pointer_depth > 0)
    size = 8;
  else if (spec.name == "int8" || spec.name == "uint8" || spec.name == "char" ||
           spec.name == "bool")
    size = 1;
  else if (spec.name == "int16" || spec.name == "uint16")
    size = 2;
  else if (spec.name == "int32" || spec.name == "uint32")
    size = 4;
  else if (spec.name == "int64" || spec.name == "uint64")
    size = 8;
  else if (spec.name == "string")
    size = Type::kDefaultStringSize;
  return spec.array_size ? size * *spec.array_size : size;
}

} // namespace

// `args` whose record is the program's context: a tracepoint's record, or the u64 argument
// array of fentry/fexit (the fields of both are read straight from ctx).
bool IrEmitter::is_tracepoint_args(ast::Expr& e) const {
  auto* b = dynamic_cast<ast::Builtin*>(&e);
  return b && b->name == "args" && ap_ &&
         (ap_->provider == "tracepoint" || is_function_entry_exit() || is_uprobe_args());
}

bool IrEmitter::is_function_entry_exit() const {
  return ap_ && (ap_->provider == "fentry" || ap_->provider == "fexit");
}

llvm::Value* IrEmitter::emit_cond(ast::Expr& e) {
  auto* v = emit_scalar(e);
  return b_.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0), "cond");
}

llvm::Value* IrEmitter::emit_scalar(ast::Expr& e) {
  LocationScope at(*this, e.loc);
  // An aggregation held in a map or variable reads as its first u64 in a tuple (aggregation
  // values have no other scalar use: ast/passes/aggregation_reads.cpp).
  bool aggregation_value =
      e.type.is_aggregation() && (dynamic_cast<ast::Map*>(&e) || dynamic_cast<ast::Variable*>(&e));
  if (!is_scalar(e.type) && !aggregation_value)
    throw Error("internal error: " + e.type.str() + " used as a scalar");
  if (auto* n = dynamic_cast<ast::Integer*>(&e))
    return llvm::ConstantInt::get(scalar_type(e.type), n->value);
  if ((dynamic_cast<ast::Builtin*>(&e) || dynamic_cast<ast::Call*>(&e)) &&
      (e.type.kind == TypeKind::KStack || e.type.kind == TypeKind::UStack ||
       e.type.kind == TypeKind::KSym))
    return emit_symbol_scalar(e);
  if (auto* n = dynamic_cast<ast::Builtin*>(&e)) return emit_builtin_scalar(*n);
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && (n->func == "uptr" || n->func == "kptr"))
    return emit_scalar(*n->args[0]); // only the address space changes, at compile time
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->func == "reg") {
    auto* name = dynamic_cast<ast::String*>(n->args[0].get());
    auto offset = name ? ast::pt_regs_offset(name->value) : std::nullopt;
    if (!offset) unsupported_at(e, "reg() of an unknown register");
    return emit_register(b_, ctx_arg_, *offset); // probe_context.cpp
  }
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->func == "strerror")
    return widen(emit_scalar(*n->args[0]), n->args[0]->type); // the runtime prints its text
  if (auto* n = dynamic_cast<ast::Variable*>(&e)) {
    auto it = vars_.find(n->binding);
    if (it == vars_.end())
      throw Error("internal error: variable " + n->name + " used before assignment");
    return convert_int(load_scalar(scalar_type(it->second.second), it->second.first, 8),
                       it->second.second, e.type);
  }
  if (auto* n = dynamic_cast<ast::Map*>(&e)) return emit_map_scalar(*n);
  if (auto* n = dynamic_cast<ast::Binary*>(&e)) return emit_binary(*n);
  if (auto* n = dynamic_cast<ast::Unary*>(&e)) return emit_unary(*n);
  if (auto* n = dynamic_cast<ast::Ternary*>(&e)) return emit_ternary_scalar(*n);
  if (auto* n = dynamic_cast<ast::FieldAccess*>(&e)) return emit_field_scalar(*n);
  if (auto* n = dynamic_cast<ast::Cast*>(&e)) {
    if (is_scalar(n->operand->type)) {
      // As bpftrace: a widening cast extends by the signedness of the target type, so
      // (uint16)(int8)-1 is 255.
      auto* v = emit_scalar(*n->operand);
      auto* target = scalar_type(e.type);
      if (v->getType()->getIntegerBitWidth() < target->getIntegerBitWidth())
        return e.type.is_signed ? b_.CreateSExt(v, target) : b_.CreateZExt(v, target);
      return convert_int(v, n->operand->type, e.type);
    }
    unsupported_at(e, "cast from " + n->operand->type.str());
  }
  if (auto* n = dynamic_cast<ast::Index*>(&e)) return emit_index(*n);
  if (auto* n = dynamic_cast<ast::TupleIndex*>(&e)) {
    auto* base = emit_addr(*n->base);
    auto offs = n->base->type.offsets();
    return load_scalar(scalar_type(e.type), byte_ptr(base, offs.at(n->index)));
  }
  if (auto* n = dynamic_cast<ast::Sizeof*>(&e)) {
    uint64_t size = n->value     ? *n->value
                    : n->of_expr ? n->of_expr->type.size()
                                 : spelled_type_size(*n->of_type);
    if (size == 0) unsupported_at(e, "sizeof(" + n->of_type->name + ")");
    return llvm::ConstantInt::get(scalar_type(e.type), size);
  }
  if (auto* n = dynamic_cast<ast::Offsetof*>(&e); n && n->value)
    return llvm::ConstantInt::get(scalar_type(e.type), *n->value);
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->constant) // kaddr, uaddr, cgroupid
    return llvm::ConstantInt::get(scalar_type(e.type), *n->constant);
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && (n->func == "len" || n->func == "has_key"))
    return emit_map_query(*n);
  if (auto* n = dynamic_cast<ast::Call*>(&e)) {
    if (auto* v = emit_byte_scalar(*n)) return v;
    unsupported_at(e, "the value of " + n->func + "()");
  }
  if (auto* n = dynamic_cast<ast::PositionalParam*>(&e)) {
    // Type inference resolved it to the argument's decimal text (or the count for $#).
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(n->value.c_str(), &end, 10);
    if (n->value.empty() || *end != '\0' || errno == ERANGE)
      throw Error("internal error: positional parameter with value \"" + n->value + "\"");
    return llvm::ConstantInt::get(scalar_type(e.type), static_cast<uint64_t>(v));
  }
  unsupported_at(e, "this expression");
}

llvm::Value* IrEmitter::emit_addr(ast::Expr& e, bool zero_tail) {
  LocationScope at(*this, e.loc);
  if (auto* n = dynamic_cast<ast::Variable*>(&e)) {
    auto it = vars_.find(n->binding);
    if (it != vars_.end() && it->second.second == e.type) return it->second.first;
  }
  if (is_stack_element(e)) // `$a[1]` of `int a[2][2]`: inside the array, not a copy
    return stack_element_address(static_cast<ast::Index&>(e));
  auto* buf = stack_buffer(e.type.size(), "tmp");
  emit_into(e, e.type, buf, zero_tail);
  return buf;
}

void IrEmitter::emit_into(ast::Expr& e, const Type& dst_type, llvm::Value* dst, bool zero_tail) {
  LocationScope at(*this, e.loc);
  if (is_scalar(dst_type)) {
    auto* v = emit_scalar(e);
    store_scalar(convert_int(v, e.type, dst_type), dst);
    return;
  }
  if (auto* n = dynamic_cast<ast::String*>(&e)) {
    store_string_literal(n->value, dst, dst_type.size());
    return;
  }
  if (auto* n = dynamic_cast<ast::PositionalParam*>(&e); n && e.type.is_string()) {
    store_string_literal(n->value, dst, dst_type.size()); // str($1): a constant
    return;
  }
  if (auto* n = dynamic_cast<ast::Builtin*>(&e); n && n->name == "func" && ap_) {
    store_string_literal(probe_function_name(*ap_), dst, dst_type.size()); // a constant
    return;
  }
  if (auto* n = dynamic_cast<ast::Builtin*>(&e); n && n->name == "comm") {
    emit_comm_into(dst, dst_type.size(), zero_tail);
    return;
  }
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->func == "str") {
    emit_str_into(*n, dst, dst_type.size(), zero_tail);
    return;
  }
  if (auto* n = dynamic_cast<ast::Call*>(&e);
      n && emit_byte_value_into(*n, dst_type, dst, zero_tail))
    return;
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->func == "usym") {
    emit_usym_into(*n, dst);
    return;
  }
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->func == "strftime") {
    emit_strftime_into(*n, dst);
    return;
  }
  if (auto* n = dynamic_cast<ast::Call*>(&e); n && n->func == "cgroup_path") {
    emit_cgroup_path_into(*n, dst);
    return;
  }
  if (auto* n = dynamic_cast<ast::FieldAccess*>(&e)) {
    emit_field_into(*n, dst_type, dst, zero_tail);
    return;
  }
  if (auto* n = dynamic_cast<ast::Map*>(&e)) {
    emit_map_into(*n, dst_type, dst, zero_tail);
    return;
  }
  if (auto* n = dynamic_cast<ast::Tuple*>(&e)) {
    if (dst_type.kind != TypeKind::Tuple || dst_type.elems.size() != n->elems.size())
      throw Error("internal error: tuple stored as " + dst_type.str());
    if (zero_tail) zero_bytes(dst, dst_type.size());
    auto offs = dst_type.offsets();
    for (size_t i = 0; i < n->elems.size(); ++i)
      emit_into(*n->elems[i], dst_type.elems[i], byte_ptr(dst, offs[i]), false);
    return;
  }
  if (dynamic_cast<ast::Ternary*>(&e)) {
    // A chain in the else branches: one cascade of tests, one merge block (as the scalar form).
    auto* done = llvm::BasicBlock::Create(ctx_, "tern_done", fn_);
    ast::Expr* link = &e;
    while (auto* n = dynamic_cast<ast::Ternary*>(link)) {
      auto* then_bb = llvm::BasicBlock::Create(ctx_, "tern_then", fn_);
      auto* else_bb = llvm::BasicBlock::Create(ctx_, "tern_else", fn_);
      b_.CreateCondBr(emit_cond(*n->cond), then_bb, else_bb);
      b_.SetInsertPoint(then_bb);
      emit_into(*n->then_expr, dst_type, dst, zero_tail);
      b_.CreateBr(done);
      b_.SetInsertPoint(else_bb);
      link = n->else_expr.get();
    }
    emit_into(*link, dst_type, dst, zero_tail);
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    return;
  }
  if (auto* n = dynamic_cast<ast::Variable*>(&e)) {
    auto it = vars_.find(n->binding);
    if (it == vars_.end())
      throw Error("internal error: variable " + n->name + " used before assignment");
    convert_memory(it->second.second, it->second.first, dst_type, dst, zero_tail);
    return;
  }
  if (auto* n = dynamic_cast<ast::TupleIndex*>(&e)) {
    auto* base = emit_addr(*n->base);
    auto offs = n->base->type.offsets();
    convert_memory(e.type, byte_ptr(base, offs.at(n->index)), dst_type, dst, zero_tail);
    return;
  }
  if (in_context(e)) { // `*ctx`, `ctx->regs`, an array in ctx (context_reads.cpp)
    emit_context_value_into(e, dst_type, dst, zero_tail);
    return;
  }
  if (is_memory_value(e)) { // `*p`, `p->arr[i]` of a record, array or string
    emit_memory_value_into(e, dst_type, dst, zero_tail);
    return;
  }
  if (is_stack_element(e)) { // an array or record element of an array held by value
    convert_memory(e.type, stack_element_address(static_cast<ast::Index&>(e)), dst_type, dst,
                   zero_tail);
    return;
  }
  unsupported_at(e, "a value of type " + e.type.str() + " here");
}

llvm::Value* IrEmitter::emit_binary(ast::Binary& bin) {
  using Op = ast::BinaryOp;
  if (bin.op == Op::LogicalAnd || bin.op == Op::LogicalOr) return emit_logical(bin);
  if ((bin.op == Op::Eq || bin.op == Op::Ne) &&
      (bin.lhs->type.is_string() || bin.lhs->type.kind == ast::TypeKind::Array ||
       bin.lhs->type.kind == ast::TypeKind::Buffer)) {
    auto* equal = bin.lhs->type.is_string() ? emit_string_compare(*bin.lhs, *bin.rhs)
                  : bin.lhs->type.kind == ast::TypeKind::Buffer
                      ? emit_buffer_equal(*bin.lhs, *bin.rhs)
                      : emit_array_equal(*bin.lhs, *bin.rhs);
    auto* r = bin.op == Op::Eq ? equal : b_.CreateXor(equal, b_.getInt1(true));
    return b_.CreateZExt(r, scalar_type(bin.type));
  }
  // As bpftrace: comparisons are signed only when both operands are.
  bool is_signed = (bin.lhs->type.is_integer() && bin.lhs->type.is_signed) &&
                   (bin.rhs->type.is_integer() && bin.rhs->type.is_signed);
  auto* l = widen(emit_scalar(*bin.lhs), bin.lhs->type);
  auto* r = widen(emit_scalar(*bin.rhs), bin.rhs->type);
  if (bin.type.kind == TypeKind::Pointer) { // p + n, n + p, p - n: n pointees
    if (bin.lhs->type.kind == TypeKind::Pointer)
      r = scaled_by_pointee(r, bin.type);
    else
      l = scaled_by_pointee(l, bin.type);
  }
  llvm::Value* v = integer_op(b_, bin.op, l, r);
  switch (bin.op) {
  case Op::Eq:
    v = b_.CreateICmpEQ(l, r);
    break;
  case Op::Ne:
    v = b_.CreateICmpNE(l, r);
    break;
  case Op::Lt:
    v = is_signed ? b_.CreateICmpSLT(l, r) : b_.CreateICmpULT(l, r);
    break;
  case Op::Le:
    v = is_signed ? b_.CreateICmpSLE(l, r) : b_.CreateICmpULE(l, r);
    break;
  case Op::Gt:
    v = is_signed ? b_.CreateICmpSGT(l, r) : b_.CreateICmpUGT(l, r);
    break;
  case Op::Ge:
    v = is_signed ? b_.CreateICmpSGE(l, r) : b_.CreateICmpUGE(l, r);
    break;
  default:
    break;
  }
  if (v->getType()->isIntegerTy(1)) v = b_.CreateZExt(v, b_.getInt64Ty());
  return convert_int(v, Type::u64(), bin.type);
}

llvm::Value* IrEmitter::emit_logical(ast::Binary& bin) {
  bool is_and = bin.op == ast::BinaryOp::LogicalAnd;
  auto* lhs = emit_cond(*bin.lhs);
  auto* lhs_end = b_.GetInsertBlock();
  auto* rhs_bb = llvm::BasicBlock::Create(ctx_, is_and ? "and_rhs" : "or_rhs", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, is_and ? "and_done" : "or_done", fn_);
  if (is_and)
    b_.CreateCondBr(lhs, rhs_bb, done);
  else
    b_.CreateCondBr(lhs, done, rhs_bb);
  b_.SetInsertPoint(rhs_bb);
  auto* rhs = emit_cond(*bin.rhs);
  auto* rhs_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getInt1(!is_and), lhs_end);
  phi->addIncoming(rhs, rhs_end);
  return convert_int(b_.CreateZExt(phi, b_.getInt64Ty()), Type::u64(), bin.type);
}

llvm::Value* IrEmitter::emit_string_compare(ast::Expr& lhs, ast::Expr& rhs, uint64_t limit) {
  // Byte by byte up to the shorter size; equal at a shared NUL. A literal side bounds the
  // comparison by its length, and its bytes are constants.
  auto* lit_l = dynamic_cast<ast::String*>(&lhs);
  auto* lit_r = dynamic_cast<ast::String*>(&rhs);
  ast::Expr& mem_side = lit_l ? rhs : lhs;
  ast::String* literal = lit_l ? lit_l : lit_r;
  uint64_t n = std::min({lhs.type.size(), rhs.type.size(), limit});
  llvm::Value* a = emit_addr(mem_side, false);
  llvm::Value* other = nullptr;
  if (literal)
    n = std::min<uint64_t>(n, literal->value.size() + 1);
  else
    other = emit_addr(rhs, false);

  auto* done = llvm::BasicBlock::Create(ctx_, "strcmp_done", fn_);
  auto* result_false = llvm::BasicBlock::Create(ctx_, "strcmp_ne", fn_);
  auto* result_true = llvm::BasicBlock::Create(ctx_, "strcmp_eq", fn_);
  for (uint64_t i = 0; i < n; ++i) {
    auto* ca = load_scalar(b_.getInt8Ty(), byte_ptr(a, i));
    llvm::Value* cb = literal ? b_.getInt8(i < literal->value.size() ? literal->value[i] : 0)
                              : load_scalar(b_.getInt8Ty(), byte_ptr(other, i));
    auto* next = llvm::BasicBlock::Create(ctx_, "strcmp_next", fn_);
    b_.CreateCondBr(b_.CreateICmpNE(ca, cb), result_false, next);
    b_.SetInsertPoint(next);
    if (i + 1 == n) {
      b_.CreateBr(result_true);
    } else {
      auto* cont = llvm::BasicBlock::Create(ctx_, "strcmp_cont", fn_);
      b_.CreateCondBr(b_.CreateICmpEQ(ca, b_.getInt8(0)), result_true, cont);
      b_.SetInsertPoint(cont);
    }
  }
  if (n == 0) b_.CreateBr(result_true);
  b_.SetInsertPoint(result_false);
  b_.CreateBr(done);
  b_.SetInsertPoint(result_true);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getInt1(false), result_false);
  phi->addIncoming(b_.getInt1(true), result_true);
  return phi;
}

llvm::Value* IrEmitter::emit_unary(ast::Unary& u) {
  using Op = ast::UnaryOp;
  switch (u.op) {
  case Op::Neg:
    return convert_int(b_.CreateNeg(widen(emit_scalar(*u.operand), u.operand->type)), Type::i64(),
                       u.type);
  case Op::BitNot:
    return b_.CreateNot(convert_int(emit_scalar(*u.operand), u.operand->type, u.type));
  case Op::LogicalNot:
    return convert_int(b_.CreateZExt(b_.CreateNot(emit_cond(*u.operand)), b_.getInt64Ty()),
                       Type::u64(), u.type);
  case Op::Deref:
    return emit_deref(u);
  case Op::AddrOf:
    return memory_address(*u.operand); // kernel_memory.cpp
  case Op::PreInc:
  case Op::PreDec:
  case Op::PostInc:
  case Op::PostDec:
    return emit_incdec(u);
  default:
    unsupported_at(u, std::string("operator ") + ast::to_string(u.op));
  }
}

llvm::Value* IrEmitter::emit_incdec(ast::Unary& u) {
  bool inc = u.op == ast::UnaryOp::PreInc || u.op == ast::UnaryOp::PostInc;
  bool post = u.op == ast::UnaryOp::PostInc || u.op == ast::UnaryOp::PostDec;
  const Type& t = u.operand->type;
  // A map element's key is evaluated once, for the read and the write (`@m[$i++]++`).
  auto* m = dynamic_cast<ast::Map*>(u.operand.get());
  llvm::Value* key = m ? emit_map_key(*m, user_map(*m)) : nullptr;
  auto* old_value = m ? emit_map_scalar(*m, key) : emit_scalar(*u.operand);
  auto* step = scaled_by_pointee(llvm::ConstantInt::get(old_value->getType(), 1), t);
  auto* new_value = inc ? b_.CreateAdd(old_value, step) : b_.CreateSub(old_value, step);
  if (auto* var = dynamic_cast<ast::Variable*>(u.operand.get())) {
    auto& slot = vars_.at(var->binding);
    store_scalar(convert_int(new_value, t, slot.second), slot.first);
  } else if (m) {
    auto& um = user_map(*m);
    auto* buf = stack_buffer(um.value.size(), "map_value");
    store_scalar(convert_int(new_value, t, um.value), buf);
    emit_map_update(um.gv, key, buf);
  } else {
    unsupported_at(u, "increment of this operand");
  }
  return convert_int(post ? old_value : new_value, t, u.type);
}

// `a ? x : b ? y : ... : z`, a chain in its else branches, is one cascade of tests into one
// merge block. A short chain merges with a phi; a long one through a volatile stack slot: a
// phi with thousands of inputs (or a phi of phis) made LLVM's CFG simplification and register
// coalescer quadratic in the chain's length.
llvm::Value* IrEmitter::emit_ternary_scalar(ast::Ternary& t) {
  constexpr size_t kPhiLinks = 16;
  std::vector<ast::Ternary*> links;
  ast::Expr* last = &t;
  // A link of another type converts its own result, as an operand would.
  for (auto* tern = &t; tern && (tern == &t || tern->type == t.type);
       tern = dynamic_cast<ast::Ternary*>(last)) {
    links.push_back(tern);
    last = tern->else_expr.get();
  }
  auto* type = scalar_type(t.type);
  llvm::Value* slot = nullptr;
  if (links.size() > kPhiLinks)
    slot = b_.CreateBitCast(stack_buffer(t.type.size(), "tern_value", true), type->getPointerTo());
  auto* done = llvm::BasicBlock::Create(ctx_, "tern_done", fn_);
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> incoming;
  auto take = [&](llvm::Value* v) {
    if (slot)
      b_.CreateStore(v, slot, /*isVolatile=*/true);
    else
      incoming.emplace_back(v, b_.GetInsertBlock());
    b_.CreateBr(done);
  };
  for (auto* tern : links) {
    auto* then_bb = llvm::BasicBlock::Create(ctx_, "tern_then", fn_);
    auto* else_bb = llvm::BasicBlock::Create(ctx_, "tern_else", fn_);
    b_.CreateCondBr(emit_cond(*tern->cond), then_bb, else_bb);
    b_.SetInsertPoint(then_bb);
    take(convert_int(emit_scalar(*tern->then_expr), tern->then_expr->type, t.type));
    b_.SetInsertPoint(else_bb);
  }
  take(convert_int(emit_scalar(*last), last->type, t.type));
  b_.SetInsertPoint(done);
  if (slot) return b_.CreateLoad(type, slot, /*isVolatile=*/true);
  auto* phi = b_.CreatePHI(type, static_cast<unsigned>(incoming.size()));
  for (auto& [value, block] : incoming)
    phi->addIncoming(value, block);
  return phi;
}

} // namespace tracelet::codegen
