#include "cli/info.h"

#include "codegen/version.h"
#include "runtime/kernel/feature_report.h"

#include <bpf/libbpf.h>
#include <sys/utsname.h>

#include <string>

#ifndef TRACELET_VERSION
#define TRACELET_VERSION "unknown"
#endif

namespace tracelet::cli {

void print_info(std::ostream& out) {
  struct utsname u {};
  ::uname(&u);
  out << "System\n"
      << "  OS: " << u.sysname << " " << u.release << " " << u.version << "\n"
      << "  Arch: " << u.machine << "\n\n";
  out << "Build\n"
      << "  version: v" << TRACELET_VERSION << "\n"
      << "  LLVM: " << codegen::llvm_version() << "\n"
      << "  libbpf: " << libbpf_version_string() << "\n"
      << "  unsafe uprobe: no\n"
      << "  bfd: no\n"
      << "  libdw (DWARF support): yes\n\n"; // runtime/symbols/dwarf.cpp
  for (const auto& section : runtime::probe_kernel_features()) {
    out << section.title << "\n";
    for (const auto& [name, value] : section.items)
      out << "  " << name << ": " << value << "\n";
    out << "\n";
  }
}

} // namespace tracelet::cli
