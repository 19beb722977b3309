// KernelInfoImpl's symbol queries for probe expansion: uprobe binaries and their functions,
// USDT notes, kernel functions for kprobe/fentry wildcards.
#include "ast/diagnostics.h"
#include "runtime/kernel/binary_paths.h"
#include "runtime/kernel/elf_symbols.h"
#include "runtime/kernel/kernel_features.h"
#include "runtime/kernel/tracefs.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tracelet::runtime {

std::string KernelInfoImpl::resolve_binary(const std::string& name) {
  return resolve_uprobe_binary(name);
}

std::vector<std::string> KernelInfoImpl::match_binary_functions(const std::string& path,
                                                                const std::string& glob) {
  std::vector<std::string> names;
  try {
    for (const auto& f : elf_functions(path))
      if (ast::glob_match(glob, f.name)) names.push_back(f.name);
  } catch (const Error&) {
    return {}; // not ELF: no functions; expansion reports the probe as matching nothing
  }
  return names;
}

std::vector<ast::UsdtLocation> KernelInfoImpl::usdt_locations(const std::string& path) {
  std::vector<ast::UsdtLocation> out;
  try {
    for (const auto& p : elf_usdt_probes(path))
      out.push_back({p.provider, p.name, p.arguments, p.location});
  } catch (const Error&) {
    return {}; // not ELF: no probes; expansion reports the probe as matching nothing
  }
  return out;
}

std::vector<std::string> KernelInfoImpl::match_binary_paths(const std::string& glob) {
  return runtime::match_binary_paths(glob);
}

std::vector<std::string> KernelInfoImpl::process_files(int pid) {
  return runtime::process_files(pid);
}

std::vector<std::string> KernelInfoImpl::needed_libraries(const std::string& path) {
  std::vector<std::string> paths;
  try {
    for (const auto& soname : elf_needed(path))
      if (std::string lib = resolve_uprobe_binary(soname); !lib.empty()) paths.push_back(lib);
  } catch (const Error&) {
    return {}; // not ELF: expansion reports the symbol as not found
  }
  return paths;
}

bool KernelInfoImpl::kprobes_run_as_fentry() {
  return !kernel_has_kprobes() && kernel_loads_fentry();
}

std::vector<std::string> KernelInfoImpl::match_kernel_functions(const std::string& glob) {
  // Text symbols of the kernel proper (module symbols carry a "[module]" column).
  std::ifstream in("/proc/kallsyms");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string address, type, name, module;
    fields >> address >> type >> name >> module;
    if ((type != "t" && type != "T") || !module.empty()) continue;
    if (name.find('.') != std::string::npos) continue; // compiler clones (foo.isra.0)
    if (ast::glob_match(glob, name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

} // namespace tracelet::runtime
