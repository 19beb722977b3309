// Values in kernel or user memory (kernel records from BTF, their arrays and nested records):
// their addresses are computed without reading, so `a->b.c[2].d` costs one probe_read for
// the final field, and one per pointer it goes through.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

bool IrEmitter::is_memory_value(ast::Expr& e) {
  if (in_context(e)) return false; // read with direct loads (context_reads.cpp)
  if (auto* f = dynamic_cast<ast::FieldAccess*>(&e)) {
    // tracepoint records are read from the context directly (fields.cpp)
    if (is_tracepoint_args(*f->base)) return false;
    return f->base->type.kind == TypeKind::Pointer || is_memory_value(*f->base);
  }
  if (auto* ix = dynamic_cast<ast::Index*>(&e))
    return ix->base->type.kind == TypeKind::Pointer || is_memory_value(*ix->base);
  if (auto* u = dynamic_cast<ast::Unary*>(&e)) return u->op == ast::UnaryOp::Deref;
  return false;
}

llvm::Value* IrEmitter::memory_address(ast::Expr& e) {
  if (auto* f = dynamic_cast<ast::FieldAccess*>(&e)) return field_address(*f);
  if (auto* ix = dynamic_cast<ast::Index*>(&e)) {
    const Type& base = ix->base->type;
    if (!base.pointee) throw Error("internal error: indexing " + base.str());
    llvm::Value* start =
        base.kind == TypeKind::Pointer ? emit_scalar(*ix->base) : memory_address(*ix->base);
    auto* index = widen(emit_scalar(*ix->index), ix->index->type);
    return b_.CreateAdd(start, b_.CreateMul(index, i64c(base.pointee->size())));
  }
  if (auto* u = dynamic_cast<ast::Unary*>(&e); u && u->op == ast::UnaryOp::Deref)
    return emit_scalar(*u->operand);
  unsupported_at(e, "the address of a " + e.type.str() + " value here");
}

} // namespace tracelet::codegen

namespace tracelet::codegen {

bool IrEmitter::is_stack_record(ast::Expr& e) {
  return e.type.kind == TypeKind::Record && !is_memory_value(e) && !is_tracepoint_args(e) &&
         !in_context(e);
}

} // namespace tracelet::codegen

namespace tracelet::codegen {

namespace {

// Where a value read from memory lives: the address space of the pointer or record it is in.
ast::AddrSpace memory_space(ast::Expr& e) {
  if (auto* f = dynamic_cast<ast::FieldAccess*>(&e)) return f->base->type.as;
  if (auto* ix = dynamic_cast<ast::Index*>(&e)) return ix->base->type.as;
  if (auto* u = dynamic_cast<ast::Unary*>(&e)) return u->operand->type.as;
  return e.type.as;
}

} // namespace

void IrEmitter::emit_memory_value_into(ast::Expr& e, const Type& dst_type, llvm::Value* dst,
                                       bool zero_tail) {
  bool user = memory_space(e) == ast::AddrSpace::User;
  auto* addr = memory_address(e);
  uint64_t n = std::min(e.type.size(), dst_type.size());
  if (zero_tail && dst_type.size() > n) zero_bytes(dst, dst_type.size());
  if (dst_type.is_string() && dst_type.size() < e.type.size()) {
    // char[N] into a shorter string: up to the NUL, which the _str helper always writes.
    // Otherwise all N bytes, as bpftrace (a name that fills the array has no NUL).
    helpers_.probe_read(user ? HelperId::ProbeReadUserStr : HelperId::ProbeReadKernelStr, dst,
                        i32c(n), addr);
    return;
  }
  helpers_.probe_read(user ? HelperId::ProbeReadUser : HelperId::ProbeReadKernel, dst, i32c(n),
                      addr);
}

} // namespace tracelet::codegen
