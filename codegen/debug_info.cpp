#include "codegen/debug_info.h"

#include <llvm/BinaryFormat/Dwarf.h>

namespace tracelet::codegen {

BtfDebugInfo::BtfDebugInfo(llvm::Module& module) : dib_(module), nodebug_dib_(module) {
  module.addModuleFlag(llvm::Module::Warning, "Dwarf Version", 4);
  module.addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
  file_ = dib_.createFile("tracelet.bt", ".");
  cu_ = dib_.createCompileUnit(llvm::dwarf::DW_LANG_C, file_, "tracelet", true, "", 0);
  int_ = dib_.createBasicType("int", 32, llvm::dwarf::DW_ATE_signed);
  long_long_ = dib_.createBasicType("long long", 64, llvm::dwarf::DW_ATE_signed);
  void_ptr_ = dib_.createPointerType(nullptr, 64);
  program_type_ = dib_.createSubroutineType(dib_.getOrCreateTypeArray({long_long_, void_ptr_}));
}

void BtfDebugInfo::describe_program(llvm::Function& fn, bool btf) {
  if (!btf) {
    // The backend needs a subprogram on every function of a module with debug info; one in
    // a NoDebug unit makes it skip the function (no FUNC type, no func/line info).
    if (!nodebug_cu_)
      nodebug_cu_ =
          nodebug_dib_.createCompileUnit(llvm::dwarf::DW_LANG_C, file_, "tracelet", true, "", 0,
                                         llvm::StringRef(), llvm::DICompileUnit::NoDebug);
    fn.setSubprogram(nodebug_dib_.createFunction(file_, fn.getName(), fn.getName(), file_, 1,
                                                 program_type_, 1, llvm::DINode::FlagPrototyped,
                                                 llvm::DISubprogram::SPFlagDefinition));
    return;
  }
  auto* sp =
      dib_.createFunction(file_, fn.getName(), fn.getName(), file_, 1, program_type_, 1,
                          llvm::DINode::FlagPrototyped, llvm::DISubprogram::SPFlagDefinition);
  // The kernel rejects BTF function prototypes with unnamed arguments; the name comes from
  // the parameter variable.
  dib_.createParameterVariable(sp, "ctx", 1, file_, 1, void_ptr_, true);
  fn.setSubprogram(sp);
}

void BtfDebugInfo::describe_function(llvm::Function& fn, const std::vector<const char*>& params,
                                     const std::vector<const char*>& scalars) {
  auto type_of = [&](const char* name) -> llvm::DIType* {
    for (const char* s : scalars)
      if (std::string(s) == name) return long_long_;
    return void_ptr_;
  };
  std::vector<llvm::Metadata*> types = {long_long_};
  for (const char* p : params)
    types.push_back(type_of(p));
  auto* fn_type = dib_.createSubroutineType(dib_.getOrCreateTypeArray(types));
  auto* sp = dib_.createFunction(
      file_, fn.getName(), fn.getName(), file_, 1, fn_type, 1, llvm::DINode::FlagPrototyped,
      llvm::DISubprogram::SPFlagDefinition | llvm::DISubprogram::SPFlagLocalToUnit);
  for (size_t i = 0; i < params.size(); ++i)
    dib_.createParameterVariable(sp, params[i], static_cast<unsigned>(i + 1), file_, 1,
                                 type_of(params[i]), true);
  fn.setSubprogram(sp);
}

void BtfDebugInfo::describe_map(llvm::GlobalVariable& gv,
                                const std::vector<std::pair<const char*, uint64_t>>& fields) {
  std::vector<llvm::Metadata*> members;
  for (const auto& [name, n] : fields) {
    // `int (*name)[n]`: libbpf reads n back as the array length.
    auto subscripts = dib_.getOrCreateArray({dib_.getOrCreateSubrange(0, int64_t(n))});
    auto* array = dib_.createArrayType(n * 32, 32, int_, subscripts);
    auto* ptr = dib_.createPointerType(array, 64);
    members.push_back(dib_.createMemberType(cu_, name, file_, 0, 64, 64, members.size() * 64,
                                            llvm::DINode::FlagZero, ptr));
  }
  auto* struct_ty =
      dib_.createStructType(cu_, "", file_, 0, 64 * members.size(), 64, llvm::DINode::FlagZero,
                            nullptr, dib_.getOrCreateArray(members));
  auto* gve = dib_.createGlobalVariableExpression(cu_, gv.getName(), gv.getName(), file_, 0,
                                                  struct_ty, false);
  gv.addDebugInfo(gve);
}

void BtfDebugInfo::finalize() {
  dib_.finalize();
  if (nodebug_cu_) nodebug_dib_.finalize();
  finalized_ = true;
}

BtfDebugInfo::~BtfDebugInfo() {
  if (finalized_) return;
  dib_.finalize();
  if (nodebug_cu_) nodebug_dib_.finalize();
}

} // namespace tracelet::codegen
