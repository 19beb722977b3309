// Reads inside the probe's context: `ctx->field`, `((struct bpf_perf_event_data *)ctx)->regs.di`,
// `ctx->cb[1]`, `*ctx`. The verifier allows only direct loads from the context register at
// constant offsets (it rewrites them for perf events and packets, whose kernel structs differ
// from the uapi ones), so every such read loads from ctx_arg_ itself, whatever expression
// (a variable, a cast, a ternary) carried the context pointer there: in AddrSpace::Ctx there
// is only that one pointer (ast/passes/context_builtin.cpp).
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

using ast::AddrSpace;
using ast::Type;
using ast::TypeKind;

namespace {

const ast::Field& context_field(ast::FieldAccess& f) {
  const Type& base = f.base->type;
  const Type* record = base.kind == TypeKind::Pointer ? base.pointee.get() : &base;
  const ast::Field* field = record && record->record ? record->record->find(f.field) : nullptr;
  if (!field) throw Error("internal error: no field " + f.field + " in ctx's " + base.str());
  return *field;
}

// The constant index of an array element in the context (the type pass allows no other).
uint64_t constant_index(ast::Index& ix) {
  auto* literal = dynamic_cast<ast::Integer*>(ix.index.get());
  if (!literal) throw Error("internal error: a ctx array indexed by a non-constant");
  return literal->value;
}

bool is_context_pointer(const ast::Expr& e) {
  return e.type.kind == TypeKind::Pointer && e.type.as == AddrSpace::Ctx;
}

} // namespace

// Only chains that start at the context pointer: a copy of a context record (`$r = *ctx`)
// is on the stack, whatever its type says.
bool IrEmitter::in_context(ast::Expr& e) const {
  if (auto* f = dynamic_cast<ast::FieldAccess*>(&e))
    return is_context_pointer(*f->base) || in_context(*f->base);
  if (auto* ix = dynamic_cast<ast::Index*>(&e)) return in_context(*ix->base);
  if (auto* u = dynamic_cast<ast::Unary*>(&e); u && u->op == ast::UnaryOp::Deref)
    return is_context_pointer(*u->operand);
  return false;
}

uint64_t IrEmitter::context_offset(ast::Expr& e) const {
  if (is_context_pointer(e)) return 0;
  if (auto* f = dynamic_cast<ast::FieldAccess*>(&e); f && in_context(e))
    return context_offset(*f->base) + context_field(*f).offset;
  if (auto* ix = dynamic_cast<ast::Index*>(&e); ix && in_context(e))
    return context_offset(*ix->base) + constant_index(*ix) * ix->base->type.pointee->size();
  if (auto* u = dynamic_cast<ast::Unary*>(&e); u && in_context(e))
    return context_offset(*u->operand);
  throw Error("internal error: " + e.type.str() + " read as part of ctx");
}

llvm::Value* IrEmitter::emit_context_scalar(ast::Expr& e) {
  uint64_t bytes = e.type.size();
  if (bytes == 0 || bytes > 8)
    throw Error("internal error: reading a " + e.type.str() + " of ctx as a scalar");
  auto* raw = load_scalar(b_.getIntNTy(static_cast<unsigned>(bytes * 8)),
                          byte_ptr(ctx_arg_, context_offset(e)), bytes);
  Type stored = e.type.is_integer() ? e.type : Type::u64();
  return convert_int(raw, stored, e.type);
}

void IrEmitter::emit_context_value_into(ast::Expr& e, const Type& dst_type, llvm::Value* dst,
                                        bool zero_tail) {
  uint64_t offset = context_offset(e);
  if (dst_type.is_string()) // a char[N] in the context
    return copy_string_from_ctx(dst, dst_type.size(), offset, e.type.size(), zero_tail);
  uint64_t n = std::min(e.type.size(), dst_type.size());
  if (zero_tail && dst_type.size() > n) zero_bytes(dst, dst_type.size());
  // An array is loaded element by element (the packet contexts allow only loads of a
  // field's own size); a record (pt_regs, regs of a perf event: unsigned longs) by aligned
  // u64 loads.
  uint64_t max_load = e.type.kind == TypeKind::Array && e.type.pointee ? e.type.pointee->size() : 8;
  copy_from_ctx(dst, offset, n, max_load);
}

} // namespace tracelet::codegen
