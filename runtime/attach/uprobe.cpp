// uprobe/uretprobe: the symbol (or address) is placed at a file offset here, from the
// binary's ELF symbols and program headers, and attached through the kernel's uprobe PMU.
#include "runtime/attach/attach.h"
#include "runtime/kernel/elf_symbols.h"

#include <cerrno>
#include <charconv>

namespace tracelet::runtime {

namespace {

// "0x401126" / "4198694" -> the address; nullopt for a symbol name.
std::optional<uint64_t> parse_address(const std::string& text) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  std::string digits = text;
  int base = 10;
  if (digits.rfind("0x", 0) == 0 || digits.rfind("0X", 0) == 0) {
    digits = digits.substr(2);
    base = 16;
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

} // namespace

uint64_t uprobe_file_offset(const codegen::ProgramDesc& desc) {
  try {
    uint64_t address = 0;
    if (auto a = parse_address(desc.func)) {
      address = *a;
    } else {
      bool found = false;
      for (const auto& f : elf_functions(desc.target))
        if (f.name == desc.func) {
          address = f.address;
          found = true;
          if (desc.offset >= f.size && f.size)
            throw AttachError(desc, "offset " + std::to_string(desc.offset) +
                                        " is beyond the end of " + desc.func + " (" +
                                        std::to_string(f.size) + " bytes)");
          break;
        }
      if (!found) throw AttachError(desc, "no function '" + desc.func + "' in " + desc.target);
    }
    auto offset = elf_file_offset(desc.target, address + desc.offset);
    if (!offset)
      throw AttachError(
          desc, "address 0x" +
                    [&] {
                      char buf[32];
                      std::snprintf(buf, sizeof buf, "%llx",
                                    (unsigned long long)(address + desc.offset));
                      return std::string(buf);
                    }() +
                    " is not in an executable segment of " + desc.target);
    return *offset;
  } catch (const AttachError&) {
    throw;
  } catch (const Error& e) {
    throw AttachError(desc, e.what()); // not ELF, unreadable
  }
}

UsdtPlacement usdt_placement(const codegen::ProgramDesc& desc) {
  try {
    size_t colon = desc.func.find(':');
    std::string provider = desc.func.substr(0, colon), name = desc.func.substr(colon + 1);
    for (const auto& p : elf_usdt_probes(desc.target)) {
      // The one copy of the marker this program was compiled for (its own arguments).
      if (p.provider != provider || p.name != name || p.location != desc.usdt_location) continue;
      auto offset = elf_file_offset(desc.target, p.location);
      if (!offset) throw AttachError(desc, "its address is not in an executable segment");
      UsdtPlacement where{*offset, 0};
      if (p.semaphore) {
        // The kernel counts attached probes in the semaphore (ref_ctr_offset), which
        // enables probes that cost something to prepare arguments for.
        auto sem = elf_file_offset(desc.target, p.semaphore, false);
        if (!sem) throw AttachError(desc, "its semaphore is not in a loaded segment");
        where.semaphore_offset = *sem;
      }
      return where;
    }
    throw AttachError(desc, "no USDT probe " + desc.func + " in " + desc.target);
  } catch (const AttachError&) {
    throw;
  } catch (const Error& e) {
    throw AttachError(desc, e.what());
  }
}

Link attach_usdt(bpf_program* prog, const codegen::ProgramDesc& desc, int pid) {
  UsdtPlacement where = usdt_placement(desc);
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .ref_ctr_offset = where.semaphore_offset);
  bpf_link* link = bpf_program__attach_uprobe_opts(prog, pid > 0 ? pid : -1, desc.target.c_str(),
                                                   where.offset, &opts);
  if (!link) {
    int err = errno;
    throw AttachError(desc, err == ESRCH && pid > 0 ? "no process with pid " + std::to_string(pid)
                                                    : errno_text(err));
  }
  return Link(link);
}

Link attach_uprobe(bpf_program* prog, const codegen::ProgramDesc& desc, int pid) {
  uint64_t offset = uprobe_file_offset(desc);
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = desc.provider == "uretprobe");
  bpf_link* link =
      bpf_program__attach_uprobe_opts(prog, pid > 0 ? pid : -1, desc.target.c_str(), offset, &opts);
  if (!link) {
    int err = errno;
    throw AttachError(desc, err == ESRCH && pid > 0 ? "no process with pid " + std::to_string(pid)
                                                    : errno_text(err));
  }
  return Link(link);
}

} // namespace tracelet::runtime
