// Reads through pointers: `*p` and `p[i]` on kernel or user pointers, with
// probe_read_{kernel,user} of the pointee's size.
#include "codegen/emitter.h"

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
  if (p.kind != TypeKind::Pointer || !p.pointee)
    throw Error("internal error: dereference of " + p.str());
  auto* addr = emit_scalar(*u.operand);
  return convert_int(read_scalar_at(addr, *p.pointee, p.as), *p.pointee, u.type);
}

llvm::Value* IrEmitter::emit_index(ast::Index& ix) {
  const Type& p = ix.base->type;
  if (p.kind != TypeKind::Pointer || !p.pointee)
    throw Error(ix.loc.filename() + ":" + std::to_string(ix.loc.line) + ":" +
                std::to_string(ix.loc.col) + ": indexing a " + p.str() + " not supported yet");
  auto* base = emit_scalar(*ix.base);
  auto* index = widen(emit_scalar(*ix.index), ix.index->type);
  auto* addr = b_.CreateAdd(base, b_.CreateMul(index, i64c(p.pointee->size())));
  return convert_int(read_scalar_at(addr, *p.pointee, p.as), *p.pointee, ix.type);
}

} // namespace tracelet::codegen
