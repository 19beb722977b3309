#include "codegen/codegen.h"

#include "ast/stage_times.h"
#include "codegen/emitter.h"
#include "codegen/llvm_diagnostics.h"
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
  // Probe expansion lists every concrete attach point; fall back to the written ones for
  // probes that needed none.
  std::vector<ast::Probe*> probes;
  std::vector<std::vector<const ast::AttachPoint*>> points_of;
  for (auto& probe : program.probes) {
    auto& points = probe->expanded.empty() ? probe->attach_points : probe->expanded;
    probes.push_back(probe.get());
    points_of.emplace_back();
    for (auto& ap : points)
      points_of.back().push_back(ap.get());
  }
  DispatchPlan plan;
  if (syscall_dispatch_) plan = plan_syscall_dispatch(probes, points_of);
  // Programs are attached in this order, and the kernel runs the programs of one event in the
  // order they were attached: probes that share an event run in program order.
  for (size_t p = 0; p < probes.size(); ++p) {
    ast::Probe* probe = probes[p];
    const auto& all = points_of[p];
    uint64_t probe_base = out_.probe_names.size();
    for (const auto* ap : all)
      out_.probe_names.push_back(ap->name()); // `probe` of points[i] is probe_base + i
    std::vector<size_t> own;
    if (syscall_dispatch_) {
      own = emit_syscall_dispatchers(*probe, all, plan[p], probe_base);
    } else {
      for (size_t i = 0; i < all.size(); ++i)
        own.push_back(i);
    }
    for (size_t i : own) {
      // Copies of one usdt marker share a name: one `probe` value, so they count as one key.
      size_t first = i;
      for (size_t j = 0; j < i; ++j)
        if (all[j]->usdt_location && all[j]->name() == all[i]->name()) {
          first = j;
          break;
        }
      emit_probe_program(*probe, *all[i], probe_base + first);
    }
  }
  maps_.emit_debug_info(debug_info_);
  debug_info_.finalize();
}

namespace {

// LLVM names the function; the probe that owns it gives the location.
CodegenError located_llvm_error(const LlvmDiagnostic& d, const CompiledProgram& out) {
  std::string message = d.message;
  // LLVM's advice is for C programmers; say what it means here.
  if (message.find("BPF stack limit of 512 bytes is exceeded") != std::string::npos)
    message = "its values need more than the 512 bytes of BPF stack (fewer or smaller "
              "temporaries in one probe, e.g. split it)";
  for (const auto& desc : out.programs)
    if (desc.func_name == d.function)
      return CodegenError(desc.loc, "probe " + desc.probe_name + " cannot be compiled: " + message);
  return CodegenError(Location{}, "LLVM: " + message);
}

} // namespace

CompiledProgram compile(ast::Program& program, const CodegenOptions& options) {
  llvm::LLVMContext ctx;
  llvm::Module module("tracelet", ctx);
  prepare_bpf_module(module);
  LlvmDiagnostics llvm_errors(ctx);
  CompiledProgram out;
  out.hist_sums = options.hist_sums; // read by the hist()/lhist() emitter
  {
    StageTimer timer("codegen: IR emission");
    IrEmitter(ctx, module, out, options.helper_checks, options.syscall_dispatch).emit(program);
  }
  out.elf = compile_to_elf(module, options.ir_out);
  if (!llvm_errors.errors().empty()) throw located_llvm_error(llvm_errors.errors().front(), out);
  return out;
}

} // namespace tracelet::codegen
