#include "parser/header_search.h"

#include <sys/stat.h>
#include <unistd.h>

namespace tracelet::parser {

namespace {

std::vector<std::string>& dirs_setting() {
  static std::vector<std::string> dirs;
  return dirs;
}

std::vector<std::string>& files_setting() {
  static std::vector<std::string> files;
  return files;
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

// A readable file that is not a directory.
bool is_file(const std::string& path) {
  struct stat st;
  return ::access(path.c_str(), R_OK) == 0 && ::stat(path.c_str(), &st) == 0 &&
         !S_ISDIR(st.st_mode);
}

const char* const kSystemDirs[] = {"/usr/local/include", "/usr/include/x86_64-linux-gnu",
                                   "/usr/include"};

bool in_system_dir(const std::string& path) {
  for (const char* dir : kSystemDirs)
    if (path.rfind(std::string(dir) + "/", 0) == 0) return true;
  return false;
}

std::string join(const std::string& dir, const std::string& name) {
  return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

} // namespace

void set_include_dirs(std::vector<std::string> dirs) {
  dirs_setting() = std::move(dirs);
}

void set_include_files(std::vector<std::string> files) {
  files_setting() = std::move(files);
}

const std::vector<std::string>& include_files() {
  return files_setting();
}

HeaderLookup find_header(const std::string& header, bool quoted, const std::string& includer_dir) {
  if (!header.empty() && header[0] == '/')
    return is_file(header) ? HeaderLookup{true, !in_system_dir(header), header} : HeaderLookup{};
  if (quoted && is_file(join(includer_dir, header)))
    return {true, true, join(includer_dir, header)};
  for (const auto& dir : dirs_setting())
    if (is_file(join(dir, header))) return {true, true, join(dir, header)};
  for (const char* dir : kSystemDirs)
    if (is_file(join(dir, header))) return {true, false, join(dir, header)};
  if (is_kernel_header(header)) return {true, false, ""};
  return {};
}

std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace tracelet::parser
