// Pointer arithmetic: `p + n`, `n + p`, `p - n`, `p++`, `p += n` move a pointer by n pointees,
// as in C and bpftrace (`@p = (int32*)32; @p++` gives 36).
#include "codegen/emitter.h"

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

uint64_t pointee_size(const Type& t) {
  if (t.kind != TypeKind::Pointer) return 1;
  uint64_t size = t.pointee ? t.pointee->size() : 0;
  return size ? size : 1; // an opaque pointee steps by bytes, as GNU C's void *
}

} // namespace

llvm::Value* IrEmitter::scaled_by_pointee(llvm::Value* n, const Type& pointer) {
  uint64_t size = pointee_size(pointer);
  return size == 1 ? n : b_.CreateMul(n, llvm::ConstantInt::get(n->getType(), size));
}

} // namespace tracelet::codegen
