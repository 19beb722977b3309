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

namespace tracelet::codegen {

// `a == b` on buf() values { u8 length; u8 data[capacity] }: equal lengths and equal bytes
// below that length (the capacities may differ; bytes past the length are not compared).
llvm::Value* IrEmitter::emit_buffer_equal(ast::Expr& lhs, ast::Expr& rhs) {
  uint64_t capacity = std::min(lhs.type.size(), rhs.type.size()) - 1;
  auto* a = emit_addr(lhs);
  auto* b = emit_addr(rhs);
  auto* la = b_.CreateZExt(load_scalar(b_.getInt8Ty(), a), b_.getInt64Ty());
  auto* lb = b_.CreateZExt(load_scalar(b_.getInt8Ty(), b), b_.getInt64Ty());
  llvm::Value* diff = b_.CreateXor(la, lb);
  for (uint64_t off = 0; off < capacity; off += 8) {
    uint64_t n = std::min<uint64_t>(8, capacity - off);
    llvm::Type* ty = b_.getIntNTy(static_cast<unsigned>(n * 8));
    llvm::Value* x = b_.getInt64(0);
    llvm::Value* y = b_.getInt64(0);
    if (n == 8 || n == 4 || n == 2 || n == 1) {
      x = b_.CreateZExt(load_scalar(ty, byte_ptr(a, 1 + off)), b_.getInt64Ty());
      y = b_.CreateZExt(load_scalar(ty, byte_ptr(b, 1 + off)), b_.getInt64Ty());
    } else {
      for (uint64_t i = 0; i < n; ++i) {
        auto* xi =
            b_.CreateZExt(load_scalar(b_.getInt8Ty(), byte_ptr(a, 1 + off + i)), b_.getInt64Ty());
        auto* yi =
            b_.CreateZExt(load_scalar(b_.getInt8Ty(), byte_ptr(b, 1 + off + i)), b_.getInt64Ty());
        x = b_.CreateOr(x, b_.CreateShl(xi, i * 8));
        y = b_.CreateOr(y, b_.CreateShl(yi, i * 8));
      }
    }
    // Only the bytes below the length count: mask = the low min(length - off, 8) bytes.
    auto* valid =
        b_.CreateSelect(b_.CreateICmpULE(la, i64c(off)), i64c(0), b_.CreateSub(la, i64c(off)));
    auto* bits =
        b_.CreateShl(b_.CreateSelect(b_.CreateICmpUGT(valid, i64c(7)), i64c(7), valid), i64c(3));
    auto* low = b_.CreateSub(b_.CreateShl(i64c(1), bits), i64c(1)); // below 8 valid bytes
    auto* mask = b_.CreateSelect(b_.CreateICmpUGT(valid, i64c(7)), i64c(~0ULL), low);
    diff = b_.CreateOr(diff, b_.CreateAnd(b_.CreateXor(x, y), mask));
  }
  return b_.CreateICmpEQ(diff, i64c(0));
}

} // namespace tracelet::codegen
