#include "parser/include_check.h"

#include <unistd.h>

namespace tracelet::parser {

namespace {

std::vector<std::string>& include_dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

// Top-level directories of the kernel's include trees (include/, include/uapi/, arch/*/include).
bool is_kernel_header(const std::string& header) {
  static const char* const kKernelDirs[] = {
      "linux/", "net/",         "asm/",    "asm-generic/", "uapi/",     "trace/",  "scsi/",
      "sound/", "video/",       "xen/",    "crypto/",      "keys/",     "media/",  "rdma/",
      "drm/",   "kvm/",         "acpi/",   "misc/",        "soc/",      "target/", "vdso/",
      "ras/",   "clocksource/", "memory/", "dt-bindings/", "math-emu/", "pcmcia/", "mtd/"};
  for (const char* dir : kKernelDirs)
    if (header.rfind(dir, 0) == 0) return true;
  return false;
}

bool exists(const std::string& path) {
  return ::access(path.c_str(), R_OK) == 0;
}

} // namespace

void set_include_dirs(std::vector<std::string> dirs) {
  include_dirs() = std::move(dirs);
}

std::string missing_header_reason(const std::string& header, bool quoted,
                                  const std::string& script) {
  if (is_kernel_header(header)) return "";
  if (!header.empty() && header[0] == '/') return exists(header) ? "" : "file not found";
  if (quoted && script != "stdin") {
    auto slash = script.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : script.substr(0, slash);
    if (exists(dir + "/" + header)) return "";
  }
  for (const auto& dir : include_dirs())
    if (exists(dir + "/" + header)) return "";
  for (const char* dir : {"/usr/include", "/usr/include/x86_64-linux-gnu", "/usr/local/include"})
    if (exists(std::string(dir) + "/" + header)) return "";
  return "file not found";
}

} // namespace tracelet::parser
