// What the type passes need to know about the running kernel, as an interface: ast/ declares
// it, runtime/ implements it from tracefs and BTF, tests substitute a fake. Implementations
// load lazily: a script that asks nothing pays nothing.
#pragma once

#include "ast/types.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::ast {

// One USDT probe location (ast/passes/function_probe_expansion.cpp).
struct UsdtLocation {
  std::string provider, name;
  std::string arguments; // its spec string, "-4@%eax 8@16(%rsp)" (ast/usdt_arguments.h)
  uint64_t address = 0;  // virtual address of the marker
};

// uprobe args records (KernelInfo::binary_function_args): offsets from here on are in the
// stack argument area (rsp + 8 at the function's entry), below it in argument registers.
inline constexpr uint64_t kUprobeStackArgs = 48;

class KernelInfo {
public:
  virtual ~KernelInfo() = default;

  // Tracepoints whose category and name match the glob patterns ('*' and '?'), as
  // (category, name) pairs sorted by category then name.
  virtual std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& category_glob, const std::string& name_glob) = 0;

  // The layout of a tracepoint's record, named "struct <category>_<name>_args": every field
  // after the common_* header, offsets from the start of the record (as in the tracefs format
  // file). `__data_loc` fields have is_data_loc set. nullptr if there is no such tracepoint.
  virtual std::shared_ptr<const RecordDef> tracepoint_args(const std::string& category,
                                                           const std::string& name) = 0;

  // A kernel struct/union from BTF by C name ("struct task_struct"); nullptr if unknown.
  virtual std::shared_ptr<const RecordDef> kernel_record(const std::string& /*name*/) {
    return nullptr;
  }
  // The parameters of kernel function `func` as fentry/fexit read them (from its BTF
  // prototype): fields at 8 * slot of the u64 context array, then "$retval" for a non-void
  // function. nullptr if unknown.
  virtual std::shared_ptr<const RecordDef> function_args(const std::string& /*func*/) {
    return nullptr;
  }
  // A kernel typedef or base type by name ("pid_t", "u64"), from BTF; nullopt if unknown.
  virtual std::optional<Type> kernel_type(const std::string& /*name*/) { return std::nullopt; }
  // A named integer constant, first found of: a simple `#define NAME <integer>` in one of
  // `headers` (names from `#include`, read under /usr/include, nested includes followed), a
  // built-in table of kernel constants that neither BTF nor uapi has (TASK_RUNNING, AF_INET),
  // a BTF enumerator. nullopt if none.
  virtual std::optional<int64_t> kernel_constant(const std::string& /*name*/,
                                                 const std::vector<std::string>& /*headers*/) {
    return std::nullopt;
  }

  // uprobe targets: the file a binary path or library name ("libc") stands for; "" if none.
  virtual std::string resolve_binary(const std::string& /*name*/) { return ""; }
  // Function symbols of the ELF file `path` matching `glob`, sorted; empty if unreadable.
  virtual std::vector<std::string> match_binary_functions(const std::string& /*path*/,
                                                          const std::string& /*glob*/) {
    return {};
  }
  // Every USDT probe location of the ELF file `path` (its .note.stapsdt entries), in note
  // order; a marker inlined or repeated in the code has one entry per copy. Empty if none or
  // unreadable.
  virtual std::vector<UsdtLocation> usdt_locations(const std::string& /*path*/) { return {}; }
  // The executable regular files whose path matches `glob` ("/usr/lib/*/libc.so.*"), sorted.
  virtual std::vector<std::string> match_binary_paths(const std::string& /*glob*/) { return {}; }
  // -p PID: the traced process (0 without -p); usdt probes without a binary are those of its
  // program and of the libraries it maps, each file as "/proc/PID/root/<path>" (bpftrace's
  // spelling), the program first. Empty if the process is gone.
  virtual int traced_pid() { return 0; }
  virtual std::vector<std::string> process_files(int /*pid*/) { return {}; }
  // The libraries the ELF file `path` names in DT_NEEDED, resolved to files, in order; empty
  // if none or unreadable. A symbol missing from a library is looked up in these (glibc 2.34
  // moved libpthread's functions into libc.so.6 and left libpthread.so.0 a stub).
  virtual std::vector<std::string> needed_libraries(const std::string& /*path*/) { return {}; }
  // uprobe `args`: the parameters of function `func` of the ELF file `path` from its DWARF
  // debug info, placed where the ABI passes them: at 8 * i for the i-th integer argument
  // register, at kUprobeStackArgs + k for byte k of the stack arguments (runtime/symbols/dwarf.h
  // says more; codegen/uprobe_args.cpp reads them); nullptr with
  // `error` set (why: no debug info, no such function) if unknown. Read on first use only.
  virtual std::shared_ptr<const RecordDef> binary_function_args(const std::string& /*path*/,
                                                                const std::string& /*func*/,
                                                                std::string& error) {
    error = "debug info is not available";
    return nullptr;
  }
  // "struct foo" / "union bar" from the DWARF debug info of the ELF file `path` (casts in
  // uprobes of that binary); nullptr if it has none.
  virtual std::shared_ptr<const RecordDef> binary_record(const std::string& /*path*/,
                                                         const std::string& /*name*/) {
    return nullptr;
  }
  // Whether kprobe/kretprobe should run as fentry/fexit: the kernel has no kprobes but loads
  // fentry programs (runtime/kernel/kernel_features.h says which; asked only for kprobe scripts).
  virtual bool kprobes_run_as_fentry() { return false; }
  // Kernel functions (from /proc/kallsyms, else BTF) matching `glob`, sorted.
  virtual std::vector<std::string> match_kernel_functions(const std::string& /*glob*/) {
    return {};
  }

  // Compile-time values of kaddr(), cgroupid() and uaddr(). Each returns nullopt and sets
  // `error` (why, for a located message) when the value cannot be had.
  // kaddr("name"): the address of a kernel symbol in /proc/kallsyms.
  virtual std::optional<uint64_t> kernel_symbol_address(const std::string& /*name*/,
                                                        std::string& error) {
    error = "kernel symbols are not available";
    return std::nullopt;
  }
  // cgroupid("path"): the cgroup v2 id of the directory, as bpf_get_current_cgroup_id.
  virtual std::optional<uint64_t> cgroup_id(const std::string& /*path*/, std::string& error) {
    error = "cgroups are not available";
    return std::nullopt;
  }
  // uaddr("name"): a data symbol (STT_OBJECT) of the ELF file `path`: {address, size}.
  virtual std::optional<std::pair<uint64_t, uint64_t>>
  binary_object_symbol(const std::string& /*path*/, const std::string& /*name*/,
                       std::string& error) {
    error = "binary symbols are not available";
    return std::nullopt;
  }
};

// True if `text` matches the glob `pattern` ('*' any run, '?' one character).
bool glob_match(const std::string& pattern, const std::string& text);

} // namespace tracelet::ast
