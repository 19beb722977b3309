// Per probe kind: the libbpf section of its program and how its builtins read the context.
// kprobe/uprobe contexts are `struct pt_regs`; rawtracepoint and fentry/fexit contexts are
// arrays of u64 arguments.
#pragma once

#include "ast/ast.h"

#include <llvm/IR/IRBuilder.h>

#include <string>

namespace tracelet::codegen {

// The section for the probe kinds beyond BEGIN/END/interval/tracepoint; "" for those.
std::string probe_kind_section(const ast::AttachPoint& ap);

// Whether `builtin` (arg0..argN, retval) reads this probe's context.
bool is_context_builtin(const std::string& builtin, const ast::AttachPoint& ap);

// Emits the i64 value of `builtin` read from the context `ctx` (an i8*).
llvm::Value* emit_context_builtin(llvm::IRBuilder<>& b, llvm::Value* ctx,
                                  const std::string& builtin, const ast::AttachPoint& ap);

// reg("name"): the i64 register at `pt_regs_offset` of the context's struct pt_regs.
llvm::Value* emit_register(llvm::IRBuilder<>& b, llvm::Value* ctx, uint64_t pt_regs_offset);
// Byte offsets in x86-64's struct pt_regs of the `slot`-th integer argument register
// (slot < 6) and of the stack pointer.
uint64_t pt_regs_argument_offset(uint64_t slot);
uint64_t pt_regs_stack_pointer_offset();

// The value of `func`: the concrete attach point's function name.
std::string probe_function_name(const ast::AttachPoint& ap);

} // namespace tracelet::codegen
