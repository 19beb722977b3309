// Struct and union types from the DWARF debug info of the binaries a uprobe probe is in, for
// casts such as `(struct foo *)arg0` when neither the script nor the kernel's BTF defines them.
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

namespace {

bool in_binary(const AttachPoint& ap) {
  return ap.provider == "uprobe" || ap.provider == "uretprobe" || ap.provider == "usdt";
}

} // namespace

std::shared_ptr<const RecordDef> TypeInference::binary_record(const std::string& name) {
  if (!probe_.probe) return nullptr;
  for (const auto& ap : probe_.probe->expanded)
    if (in_binary(*ap))
      if (auto def = kernel_.binary_record(ap->target, name)) {
        kept_records_.push_back(def);
        return def;
      }
  return nullptr;
}

std::string TypeInference::binary_record_note() const {
  if (!probe_.probe) return "";
  std::string binaries;
  for (const auto& ap : probe_.probe->expanded)
    if (in_binary(*ap) && binaries.find(ap->target) == std::string::npos)
      binaries += (binaries.empty() ? "" : ", ") + ap->target;
  if (binaries.empty()) return "";
  return " (neither the kernel's BTF nor the debug info of " + binaries + " defines it)";
}

} // namespace tracelet::ast::passes
