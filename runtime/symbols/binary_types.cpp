// KernelInfoImpl's types from binaries' DWARF debug info (runtime/symbols/dwarf.h): uprobe
// args and struct casts. A binary's debug info is opened on its first question only.
#include "runtime/kernel/tracefs.h"

namespace tracelet::runtime {

BinaryDwarf& KernelInfoImpl::dwarf(const std::string& path) {
  auto& d = dwarf_[path];
  if (!d) d = std::make_unique<BinaryDwarf>(path);
  return *d;
}

std::shared_ptr<const ast::RecordDef> KernelInfoImpl::binary_function_args(const std::string& path,
                                                                           const std::string& func,
                                                                           std::string& error) {
  return dwarf(path).function_args(func, error);
}

std::shared_ptr<const ast::RecordDef> KernelInfoImpl::binary_record(const std::string& path,
                                                                    const std::string& name) {
  return dwarf(path).record(name);
}

} // namespace tracelet::runtime
