// The debug info the BPF backend turns into .BTF/.BTF.ext: map definitions (which libbpf reads
// from BTF) and one subprogram per BPF function (the backend needs one for every function
// once the module carries debug info).
#pragma once

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/Module.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::codegen {

// Probe functions after the first kFullBtfPrograms are described to the backend without BTF,
// unless they pass a callback to bpf_loop / bpf_for_each_map_elem (which needs it).
inline constexpr size_t kFullBtfPrograms = 512;

class BtfDebugInfo {
public:
  explicit BtfDebugInfo(llvm::Module& module);
  // Finalizes if finalize() was not reached (codegen threw an error): DIBuilder's
  // temporary nodes (each subprogram's retained-nodes list) are only freed by finalizing.
  ~BtfDebugInfo();
  BtfDebugInfo(const BtfDebugInfo&) = delete;
  BtfDebugInfo& operator=(const BtfDebugInfo&) = delete;

  // `long long fn(void *ctx)`. Without `btf`, the function belongs to a compile unit that
  // emits no debug info: the backend then writes no BTF function record for it. LLVM 14's
  // BTF string table finds each string by a linear scan, so one unique name per function
  // makes BTF generation quadratic in the number of functions; huge programs (see
  // kFullBtfPrograms) leave their probe functions out of BTF to stay linear.
  void describe_program(llvm::Function& fn, bool btf = true);
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
  llvm::DIBuilder nodebug_dib_; // the compile unit of functions described without BTF
  llvm::DICompileUnit* nodebug_cu_ = nullptr;
  llvm::DIFile* file_;
  llvm::DICompileUnit* cu_;
  llvm::DIBasicType* int_;
  llvm::DIDerivedType* void_ptr_;
  llvm::DIBasicType* long_long_;
  llvm::DISubroutineType* program_type_;
  bool finalized_ = false;
};

} // namespace tracelet::codegen
