// Integer arithmetic as bpftrace 0.17 computes it, shared by `a op b` and `x op= b`.
#pragma once

#include "ast/ast.h"

#include <llvm/IR/IRBuilder.h>

namespace tracelet::codegen {

// `l op r` on 64-bit values for the arithmetic and bitwise operators (+ - * / % & | ^ << >>);
// nullptr for any other operator. As bpftrace 0.17: division and modulo are unsigned (BPF has
// no signed division), `>>` is a logical shift whatever the operands' signs, and a zero
// divisor gives the kernel's answer (x / 0 = 0, x % 0 = x) instead of LLVM's undefined value.
llvm::Value* integer_op(llvm::IRBuilder<>& b, ast::BinaryOp op, llvm::Value* l, llvm::Value* r);

} // namespace tracelet::codegen
