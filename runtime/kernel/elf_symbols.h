// Function symbols of ELF binaries and shared libraries, for uprobes: which functions a binary
// has (wildcards, `-l`), and the file offset where a symbol's code lives (what the kernel's
// uprobe attach takes). Read with libelf; nothing is cached beyond one call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

struct ElfFunction {
  std::string name;
  uint64_t address = 0; // virtual address (st_value)
  uint64_t size = 0;
};

// Every defined function symbol (STT_FUNC/STT_GNU_IFUNC) from .symtab and .dynsym, sorted by
// name, duplicates (the same name in both tables) removed. Throws tracelet::Error if `path`
// is not a readable ELF file.
std::vector<ElfFunction> elf_functions(const std::string& path);

// The data symbol (STT_OBJECT) `name` of `path`, first found in .symtab then .dynsym, as
// bpftrace's uaddr() looks it up; nullopt if there is none. Throws tracelet::Error if `path`
// is not a readable ELF file.
std::optional<ElfFunction> elf_object(const std::string& path, const std::string& name);

// The sonames `path` names in DT_NEEDED entries of its dynamic section, in order ("libc.so.6");
// empty for a static binary. Throws tracelet::Error if `path` is not ELF.
std::vector<std::string> elf_needed(const std::string& path);

// The file offset of virtual address `address` in `path` (through its PT_LOAD segments), or
// nullopt if no executable segment (any loaded segment, if !executable) holds it. Throws
// tracelet::Error if `path` is not ELF.
std::optional<uint64_t> elf_file_offset(const std::string& path, uint64_t address,
                                        bool executable = true);

// A USDT probe from the binary's SystemTap notes (.note.stapsdt): addresses are virtual,
// already adjusted for prelinking (through .stapsdt.base); semaphore 0 if it has none.
struct UsdtProbe {
  std::string provider, name, arguments;
  uint64_t location = 0, semaphore = 0;
};
// Every USDT probe of `path`, in note order; empty if none. Throws tracelet::Error if `path`
// is not ELF.
std::vector<UsdtProbe> elf_usdt_probes(const std::string& path);

// A uprobe target as written -> the file to attach to. A name with '/' is a path (kept as is
// when it exists); otherwise, like bpftrace, a library name ("libc", "libc.so.6") looked up in
// /proc/<pid>/maps (pid > 0), then the ld.so cache, then the standard library directories, or
// a program on $PATH. Empty if nothing matches.
std::string resolve_uprobe_binary(const std::string& name, int pid = 0);

} // namespace tracelet::runtime
