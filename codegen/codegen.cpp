#include "codegen/codegen.h"

#include "codegen/emitter.h"
#include "codegen/target.h"

namespace tracelet::codegen {

IrEmitter::IrEmitter(llvm::LLVMContext& ctx, llvm::Module& module, CompiledProgram& out,
                     int helper_checks, bool syscall_dispatch)
    : ctx_(ctx), module_(module), out_(out), b_(ctx), helpers_(b_), maps_(module),
      debug_info_(module), helper_checks_(helper_checks), syscall_dispatch_(syscall_dispatch) {
  if (helper_checks_ > 0)
    helpers_.on_result([this](HelperId id, llvm::Value* result) { check_helper(id, result); });
}

void IrEmitter::emit(ast::Program& program) {
  emit_license();
  for (auto& probe : program.probes) {
    // Probe expansion lists every concrete attach point; fall back to the written ones for
    // probes that needed none.
    auto& points = probe->expanded.empty() ? probe->attach_points : probe->expanded;
    std::vector<const ast::AttachPoint*> all;
    uint64_t probe_base = out_.probe_names.size();
    for (auto& ap : points) {
      all.push_back(ap.get());
      out_.probe_names.push_back(ap->name()); // `probe` of points[i] is probe_base + i
    }
    std::vector<size_t> own;
    if (syscall_dispatch_) {
      own = emit_syscall_dispatchers(*probe, all, probe_base);
    } else {
      for (size_t i = 0; i < all.size(); ++i)
        own.push_back(i);
    }
    for (size_t i : own)
      emit_probe_program(*probe, *all[i], probe_base + i);
  }
  maps_.emit_debug_info(debug_info_);
  debug_info_.finalize();
}

CompiledProgram compile(ast::Program& program, const CodegenOptions& options) {
  llvm::LLVMContext ctx;
  llvm::Module module("tracelet", ctx);
  prepare_bpf_module(module);
  CompiledProgram out;
  IrEmitter(ctx, module, out, options.helper_checks, options.syscall_dispatch).emit(program);
  out.elf = compile_to_elf(module, options.ir_out);
  return out;
}

} // namespace tracelet::codegen
