// `a == b` and `a != b` on arrays (bpftrace compares their bytes): both arrays are held on the
// stack and compared eight bytes at a time.
#include "codegen/emitter.h"

namespace tracelet::codegen {

llvm::Value* IrEmitter::emit_array_equal(ast::Expr& lhs, ast::Expr& rhs) {
  uint64_t n = std::min(lhs.type.size(), rhs.type.size());
  auto* a = emit_addr(lhs);
  auto* b = emit_addr(rhs);
  llvm::Value* diff = i64c(0);
  uint64_t off = 0;
  for (; off + 8 <= n; off += 8) {
    auto* x = load_scalar(b_.getInt64Ty(), byte_ptr(a, off), known_align(byte_ptr(a, off)));
    auto* y = load_scalar(b_.getInt64Ty(), byte_ptr(b, off), known_align(byte_ptr(b, off)));
    diff = b_.CreateOr(diff, b_.CreateXor(x, y));
  }
  for (; off < n; ++off) {
    auto* x = load_scalar(b_.getInt8Ty(), byte_ptr(a, off));
    auto* y = load_scalar(b_.getInt8Ty(), byte_ptr(b, off));
    diff = b_.CreateOr(diff, b_.CreateZExt(b_.CreateXor(x, y), b_.getInt64Ty()));
  }
  return b_.CreateICmpEQ(diff, i64c(0));
}

} // namespace tracelet::codegen
