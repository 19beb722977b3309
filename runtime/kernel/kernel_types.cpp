// KernelInfoImpl's kernel types and constants: BTF (parsed on first use), header #defines and
// the built-in constant table.
#include "runtime/kernel/tracefs.h"

namespace tracelet::runtime {

KernelBtf& KernelInfoImpl::btf() {
  if (!btf_) btf_ = std::make_unique<KernelBtf>();
  return *btf_;
}

std::shared_ptr<const ast::RecordDef> KernelInfoImpl::kernel_record(const std::string& name) {
  return btf().record(name);
}

std::shared_ptr<const ast::RecordDef> KernelInfoImpl::function_args(const std::string& func) {
  return btf().function_args(func);
}

std::optional<ast::Type> KernelInfoImpl::kernel_type(const std::string& name) {
  return btf().named_type(name);
}

std::optional<int64_t> KernelInfoImpl::kernel_constant(const std::string& name,
                                                       const std::vector<std::string>& headers) {
  if (!headers.empty()) {
    if (!defines_) defines_ = std::make_unique<HeaderDefines>(); // headers read on first use
    if (auto v = defines_->lookup(name, headers)) return v;
  }
  if (auto v = builtin_kernel_constant(name)) return v;
  return btf().enum_constant(name);
}

} // namespace tracelet::runtime
