// Reads through pointers: `*p` and `p[i]` on kernel or user pointers, with
// probe_read_{kernel,user} of the pointee's size.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

llvm::Value* IrEmitter::read_scalar_at(llvm::Value* addr, const Type& t, ast::AddrSpace as) {
  uint64_t bytes = t.size();
  if (bytes == 0 || bytes > 8)
    throw Error("internal error: reading a " + t.str() + " through a pointer as a scalar");
  auto* buf = stack_buffer(8, "read");
  helpers_.probe_read(as == ast::AddrSpace::User ? HelperId::ProbeReadUser
                                                 : HelperId::ProbeReadKernel,
                      buf, i32c(static_cast<uint32_t>(bytes)), addr);
  // probe_read zeroes the buffer when the read faults, so a bad pointer reads as 0.
  return load_scalar(b_.getIntNTy(static_cast<unsigned>(bytes * 8)), buf, 8);
}

llvm::Value* IrEmitter::emit_deref(ast::Unary& u) {
  const Type& p = u.operand->type;
  if (p.is_integer()) // *addr: a uint64 at an integer address, as bpftrace
    return convert_int(read_scalar_at(widen(emit_scalar(*u.operand), p), Type::u64(), u.type.as),
                       Type::u64(), u.type);
  if (p.kind != TypeKind::Pointer || !p.pointee)
    throw Error("internal error: dereference of " + p.str());
  auto* addr = emit_scalar(*u.operand);
  return convert_int(read_scalar_at(addr, *p.pointee, p.as), *p.pointee, u.type);
}

llvm::Value* IrEmitter::emit_index(ast::Index& ix) {
  if (in_context(ix)) return emit_context_scalar(ix); // an array in ctx (context_reads.cpp)
  const Type& p = ix.base->type;
  if (p.kind == TypeKind::Array && p.pointee) {
    // An array inside a record in memory (BTF): read the element, any index.
    if (is_memory_value(*ix.base))
      return convert_int(read_scalar_at(memory_address(ix), *p.pointee, p.as), *p.pointee, ix.type);
    return emit_array_element(ix);
  }
  if (p.kind != TypeKind::Pointer || !p.pointee) unsupported_at(ix, "indexing a " + p.str());
  auto* base = emit_scalar(*ix.base);
  auto* index = widen(emit_scalar(*ix.index), ix.index->type);
  auto* addr = b_.CreateAdd(base, b_.CreateMul(index, i64c(p.pointee->size())));
  return convert_int(read_scalar_at(addr, *p.pointee, p.as), *p.pointee, ix.type);
}

llvm::Value* IrEmitter::emit_array_element(ast::Index& ix) {
  const Type& array = ix.base->type;
  const Type& elem = *array.pointee;
  llvm::Type* ty = b_.getIntNTy(static_cast<unsigned>(elem.size() * 8));
  auto* field = dynamic_cast<ast::FieldAccess*>(ix.base.get());
  if (field && is_tracepoint_args(*field->base)) {
    // An array inside the tracepoint record: a direct ctx load.
    const ast::RecordDef* own = tracepoint_record(*field);
    const ast::Field* f = (own ? own : field->base->type.pointee->record.get())->find(field->field);
    if (!f) throw Error("internal error: no field " + field->field);
    uint64_t offset = constant_element_offset(ix);
    return convert_int(load_scalar(ty, byte_ptr(ctx_arg_, f->offset + offset)), elem, ix.type);
  }
  return convert_int(load_scalar(ty, stack_element_address(ix)), elem, ix.type);
}

bool IrEmitter::is_stack_element(ast::Expr& e) {
  auto* ix = dynamic_cast<ast::Index*>(&e);
  return ix && ix->base->type.kind == TypeKind::Array && !in_context(e) && !is_memory_value(e);
}

uint64_t IrEmitter::constant_element_offset(ast::Index& ix) {
  // Arrays off the stack or ctx are indexed with constants only (the verifier allows those
  // accesses at known offsets); type inference refused other indexes.
  const Type& array = ix.base->type;
  auto* literal = dynamic_cast<ast::Integer*>(ix.index.get());
  if (!literal || literal->value >= array.count)
    fail_at(ix, "array index must be a literal within the array's " + std::to_string(array.count) +
                    " elements (other indexes not supported yet)");
  return literal->value * array.pointee->size();
}

llvm::Value* IrEmitter::stack_element_address(ast::Index& ix) {
  return byte_ptr(emit_addr(*ix.base), constant_element_offset(ix));
}

} // namespace tracelet::codegen
