#include "codegen/codegen.h"

#include "codegen/emitter.h"
#include "codegen/target.h"

namespace tracelet::codegen {

IrEmitter::IrEmitter(llvm::LLVMContext& ctx, llvm::Module& module, CompiledProgram& out,
                     int helper_checks)
    : ctx_(ctx), module_(module), out_(out), b_(ctx), helpers_(b_), maps_(module),
      debug_info_(module), helper_checks_(helper_checks) {
  if (helper_checks_ > 0)
    helpers_.on_result([this](HelperId id, llvm::Value* result) { check_helper(id, result); });
}

void IrEmitter::emit(ast::Program& program) {
  emit_license();
  for (auto& probe : program.probes) {
    // Probe expansion lists every concrete attach point; fall back to the written ones for
    // probes that needed none.
    auto& points = probe->expanded.empty() ? probe->attach_points : probe->expanded;
    for (auto& ap : points)
      emit_probe_program(*probe, *ap);
  }
  maps_.emit_debug_info(debug_info_);
  debug_info_.finalize();
}

CompiledProgram compile(ast::Program& program, const CodegenOptions& options) {
  llvm::LLVMContext ctx;
  llvm::Module module("tracelet", ctx);
  prepare_bpf_module(module);
  CompiledProgram out;
  out.hist_sums = options.hist_sums; // read by the hist()/lhist() emitter
  IrEmitter(ctx, module, out, options.helper_checks).emit(program);
  out.elf = compile_to_elf(module, options.ir_out);
  return out;
}

} // namespace tracelet::codegen
