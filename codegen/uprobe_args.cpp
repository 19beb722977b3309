// uprobe `args` typed from the binary's DWARF: each parameter is where the x86-64 System V ABI
// passed it at the function's entry (ast/kernel_info.h, runtime/symbols/dwarf.h): an argument
// register of pt_regs (offset 8 * slot of the args record), or the caller's stack arguments
// (offset kUprobeStackArgs + k: user memory at rsp + 8 + k).
#include "codegen/emitter.h"
#include "codegen/probe_context.h"

#include "ast/diagnostics.h"
#include "ast/kernel_info.h"

namespace tracelet::codegen {

bool IrEmitter::is_uprobe_args() const {
  return ap_ && ap_->provider == "uprobe" && ap_->args_record;
}

namespace {

bool on_stack(const ast::Field& field) {
  return field.offset >= ast::kUprobeStackArgs;
}

} // namespace

llvm::Value* IrEmitter::emit_uprobe_parameter(const ast::Field& field) {
  uint64_t bytes = field.type->size();
  if (bytes == 0 || bytes > 8)
    throw Error("internal error: uprobe parameter " + field.name + " of " + std::to_string(bytes) +
                " bytes read as a scalar");
  if (!on_stack(field)) {
    auto* reg = load_scalar(b_.getInt64Ty(),
                            byte_ptr(ctx_arg_, pt_regs_argument_offset(field.offset / 8)), 8);
    return bytes < 8 ? b_.CreateTrunc(reg, b_.getIntNTy(bytes * 8)) : reg;
  }
  auto* buf = stack_buffer(8, "stack_arg");
  store_scalar(i64c(0), buf);
  emit_uprobe_parameter_into(field, buf, bytes);
  return load_scalar(b_.getIntNTy(bytes * 8), buf, 8);
}

void IrEmitter::emit_uprobe_parameter_into(const ast::Field& field, llvm::Value* dst,
                                           uint64_t bytes) {
  if (on_stack(field)) {
    auto* sp = load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, pt_regs_stack_pointer_offset()), 8);
    // At the entry the return address is at rsp; the stack arguments follow it.
    auto* addr = b_.CreateAdd(sp, i64c(8 + field.offset - ast::kUprobeStackArgs));
    helpers_.probe_read(HelperId::ProbeReadUser, dst, i32c(bytes), addr);
    return;
  }
  // A struct of up to 16 bytes in one or two consecutive argument registers, which pt_regs
  // does not keep in order: both registers into a buffer, then its first `bytes`.
  uint64_t slot = field.offset / 8;
  auto* regs = stack_buffer(16, "arg_regs");
  store_scalar(load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, pt_regs_argument_offset(slot)), 8),
               byte_ptr(regs, 0));
  if (bytes > 8)
    store_scalar(
        load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, pt_regs_argument_offset(slot + 1)), 8),
        byte_ptr(regs, 8));
  copy_bytes(dst, regs, std::min<uint64_t>(bytes, 16));
}

} // namespace tracelet::codegen
