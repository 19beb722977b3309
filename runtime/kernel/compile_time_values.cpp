// KernelInfoImpl's compile-time values: kaddr() from /proc/kallsyms, cgroupid() through
// name_to_handle_at(2), uaddr() from the probed binary's ELF symbols. As in bpftrace 0.17,
// each is looked up once while compiling and becomes a constant of the program.
#include "ast/diagnostics.h"
#include "runtime/kernel/elf_symbols.h"
#include "runtime/kernel/tracefs.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace tracelet::runtime {

namespace {

// Where cgroup v2 is mounted ("" if it is not), for the hint of a failed cgroupid().
std::string cgroup2_mount() {
  std::ifstream mounts("/proc/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string source, dir, type;
    fields >> source >> dir >> type;
    if (type == "cgroup2") return dir;
  }
  return "";
}

} // namespace

std::optional<uint64_t> KernelInfoImpl::kernel_symbol_address(const std::string& name,
                                                              std::string& error) {
  std::ifstream in("/proc/kallsyms");
  if (!in) {
    error = std::string("cannot read /proc/kallsyms: ") + std::strerror(errno);
    return std::nullopt;
  }
  bool data_symbols = false; // any data (d/D/b/B) symbol besides section markers
  bool all_zero = true;      // kptr_restrict hides every address
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string address, type, sym;
    fields >> address >> type >> sym;
    uint64_t addr = std::strtoull(address.c_str(), nullptr, 16);
    if (addr) all_zero = false;
    if (sym == name && addr) return addr; // the first one, as bpftrace
    if ((type == "d" || type == "b" || ((type == "D" || type == "B") && sym.rfind("__", 0) != 0)))
      data_symbols = true;
  }
  error = "no kernel symbol '" + name + "' in /proc/kallsyms";
  if (all_zero)
    error += " (its addresses are hidden: see /proc/sys/kernel/kptr_restrict)";
  else if (!data_symbols)
    error += " (this kernel lists only functions there: built without CONFIG_KALLSYMS_ALL, "
             "it has no addresses for data symbols)";
  return std::nullopt;
}

std::optional<uint64_t> KernelInfoImpl::cgroup_id(const std::string& path, std::string& error) {
  // A cgroup v2 (kernfs) handle is the 8-byte id that bpf_get_current_cgroup_id() returns;
  // bpftrace 0.17 asks for exactly 8 bytes too, so other file systems fail with EOVERFLOW.
  constexpr unsigned kHandleBytes = sizeof(uint64_t);
  std::unique_ptr<file_handle, void (*)(void*)> handle(
      static_cast<file_handle*>(std::malloc(sizeof(file_handle) + kHandleBytes)), std::free);
  handle->handle_bytes = kHandleBytes;
  int mount_id = 0;
  if (::name_to_handle_at(AT_FDCWD, path.c_str(), handle.get(), &mount_id, 0) < 0) {
    int err = errno;
    error = std::string("cannot get the cgroup id of '") + path + "': " + std::strerror(err);
    if (err == EOVERFLOW) {
      std::string mount = cgroup2_mount();
      error += " (not a cgroup v2 directory";
      error += mount.empty() ? "; no cgroup v2 is mounted)" : ": cgroup v2 is at " + mount + ")";
    }
    return std::nullopt;
  }
  uint64_t id;
  std::memcpy(&id, handle->f_handle, sizeof id);
  return id;
}

std::optional<std::pair<uint64_t, uint64_t>>
KernelInfoImpl::binary_object_symbol(const std::string& path, const std::string& name,
                                     std::string& error) {
  try {
    if (auto sym = elf_object(path, name)) return std::make_pair(sym->address, sym->size);
    error = "no data symbol '" + name + "' in " + path;
  } catch (const Error& e) {
    error = e.what();
  }
  return std::nullopt;
}

} // namespace tracelet::runtime
