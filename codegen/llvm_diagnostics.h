// LLVM never ends the process: its diagnostics (the BPF backend's "stack limit of 512 bytes
// is exceeded", unsupported operations, ...) are collected instead of printed and followed
// by exit(1), and turned into an error located at the probe whose function caused them.
#pragma once

#include "codegen/codegen.h"

#include <llvm/IR/LLVMContext.h>

#include <string>
#include <vector>

namespace tracelet::codegen {

// An LLVM error in one function of the module (function is "" when LLVM named none).
struct LlvmDiagnostic {
  std::string function;
  std::string message;
};

// Installs the collecting handler on `ctx` for the lifetime of this object.
class LlvmDiagnostics {
public:
  explicit LlvmDiagnostics(llvm::LLVMContext& ctx);
  ~LlvmDiagnostics();
  LlvmDiagnostics(const LlvmDiagnostics&) = delete;
  LlvmDiagnostics& operator=(const LlvmDiagnostics&) = delete;

  const std::vector<LlvmDiagnostic>& errors() const { return errors_; }

private:
  llvm::LLVMContext& ctx_;
  std::vector<LlvmDiagnostic> errors_;
};

} // namespace tracelet::codegen
