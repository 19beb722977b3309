#include "codegen/target.h"

#include "ast/diagnostics.h"
#include "ast/stage_times.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <mutex>

extern "C" {
void LLVMInitializeBPFTargetInfo();
void LLVMInitializeBPFTarget();
void LLVMInitializeBPFTargetMC();
void LLVMInitializeBPFAsmPrinter();
}

namespace tracelet::codegen {

namespace {

constexpr const char* kTriple = "bpf-pc-linux"; // host-endian BPF

llvm::TargetMachine& bpf_target_machine() {
  static std::once_flag once;
  static std::unique_ptr<llvm::TargetMachine> machine;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
    std::string error;
    const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kTriple, error);
    if (!target) throw Error("LLVM has no BPF target: " + error);
    // v3: 32-bit jumps and ALU, supported by every kernel that has BTF.
    machine.reset(target->createTargetMachine(kTriple, "v3", "", llvm::TargetOptions(),
                                              llvm::Reloc::PIC_, llvm::None,
                                              llvm::CodeGenOpt::Aggressive));
    if (!machine) throw Error("LLVM could not create a BPF target machine");
  });
  if (!machine) throw Error("LLVM could not create a BPF target machine");
  return *machine;
}

void optimise(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&machine);
  // Registers the BPF backend's IR passes (verifier-friendly rewrites) into the pipeline.
  machine.registerPassBuilderCallbacks(pb);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  mpm.run(module, mam);
}

} // namespace

void prepare_bpf_module(llvm::Module& module) {
  auto& machine = bpf_target_machine();
  module.setTargetTriple(kTriple);
  module.setDataLayout(machine.createDataLayout());
}

std::vector<uint8_t> compile_to_elf(llvm::Module& module, std::ostream* ir_out) {
  auto& machine = bpf_target_machine();
  std::string problems;
  llvm::raw_string_ostream problems_out(problems);
  StageTimer verify_timer("codegen: IR verifier");
  if (llvm::verifyModule(module, &problems_out)) {
    problems_out.flush();
    std::string first_line = problems.substr(0, problems.find('\n'));
    throw Error("internal error: generated IR is invalid: " + first_line);
  }
  verify_timer.stop();
  {
    StageTimer timer("codegen: LLVM optimisation");
    optimise(module, machine);
  }
  if (ir_out) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os, nullptr);
    os.flush();
    *ir_out << text;
  }
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  StageTimer timer("codegen: LLVM object emission");
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr, llvm::CGFT_ObjectFile))
    throw Error("LLVM's BPF target cannot emit an object file");
  pm.run(module);
  return std::vector<uint8_t>(buffer.begin(), buffer.end());
}

} // namespace tracelet::codegen
