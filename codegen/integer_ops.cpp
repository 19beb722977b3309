// Integer arithmetic as bpftrace 0.17 computes it (integer_ops.h).
#include "codegen/integer_ops.h"

namespace tracelet::codegen {

namespace {

// udiv/urem by zero is undefined in LLVM IR (the optimizer may drop the store of its result),
// so the divisor is made 1 where it is 0 and the kernel's result is selected instead.
llvm::Value* divide(llvm::IRBuilder<>& b, bool modulo, llvm::Value* l, llvm::Value* r) {
  auto* zero = b.CreateICmpEQ(r, llvm::ConstantInt::get(r->getType(), 0));
  auto* divisor = b.CreateSelect(zero, llvm::ConstantInt::get(r->getType(), 1), r);
  if (modulo) return b.CreateSelect(zero, l, b.CreateURem(l, divisor));
  return b.CreateSelect(zero, llvm::ConstantInt::get(l->getType(), 0), b.CreateUDiv(l, divisor));
}

} // namespace

llvm::Value* integer_op(llvm::IRBuilder<>& b, ast::BinaryOp op, llvm::Value* l, llvm::Value* r) {
  using Op = ast::BinaryOp;
  switch (op) {
  case Op::Add:
    return b.CreateAdd(l, r);
  case Op::Sub:
    return b.CreateSub(l, r);
  case Op::Mul:
    return b.CreateMul(l, r);
  case Op::Div:
    return divide(b, false, l, r);
  case Op::Mod:
    return divide(b, true, l, r);
  case Op::BitAnd:
    return b.CreateAnd(l, r);
  case Op::BitOr:
    return b.CreateOr(l, r);
  case Op::BitXor:
    return b.CreateXor(l, r);
  case Op::Shl:
    return b.CreateShl(l, r);
  case Op::Shr:
    return b.CreateLShr(l, r);
  default:
    return nullptr;
  }
}

} // namespace tracelet::codegen
