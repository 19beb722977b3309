// The debug info the BPF backend turns into .BTF/.BTF.ext: map definitions (which libbpf reads
// from BTF) and one subprogram per BPF function (the backend needs one for every function
// once the module carries debug info).
#pragma once

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::codegen {

class BtfDebugInfo {
public:
  explicit BtfDebugInfo(llvm::Module& module);
  // Finalizes if finalize() was not reached (codegen threw an error): DIBuilder's
  // temporary nodes (each subprogram's retained-nodes list) are only freed by finalizing.
  ~BtfDebugInfo();
  BtfDebugInfo(const BtfDebugInfo&) = delete;
  BtfDebugInfo& operator=(const BtfDebugInfo&) = delete;

  // `long long fn(void *ctx)`.
  void describe_program(llvm::Function& fn);
  // A static subprogram `long long fn(...)`: one parameter per name, a pointer or (when the
  // name is in `scalars`) a long long.
  void describe_function(llvm::Function& fn, const std::vector<const char*>& params,
                         const std::vector<const char*>& scalars = {});
  // A `.maps` global: struct { int (*name)[value]; ... } for each (name, value).
  void describe_map(llvm::GlobalVariable& gv,
                    const std::vector<std::pair<const char*, uint64_t>>& fields);
  void finalize();

private:
  llvm::DIBuilder dib_;
  llvm::DIFile* file_;
  llvm::DICompileUnit* cu_;
  llvm::DIBasicType* int_;
  llvm::DIDerivedType* void_ptr_;
  llvm::DIBasicType* long_long_;
  llvm::DISubroutineType* program_type_;
  bool finalized_ = false;
};

} // namespace tracelet::codegen
