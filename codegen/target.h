// The BPF target: optimisation at O2 and emission of an ELF object into memory.
#pragma once

#include <llvm/IR/Module.h>

#include <cstdint>
#include <ostream>
#include <vector>

namespace tracelet::codegen {

// Sets the module's BPF triple and data layout. Call before emitting IR into it.
void prepare_bpf_module(llvm::Module& module);

// Verifies, optimises (O2, with the BPF backend's own IR passes) and compiles `module`.
// If `ir_out` is set, the optimised IR is printed there. Throws tracelet::Error on failure.
std::vector<uint8_t> compile_to_elf(llvm::Module& module, std::ostream* ir_out);

} // namespace tracelet::codegen
