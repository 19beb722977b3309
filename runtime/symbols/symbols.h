// Addresses to names, with bcc's symbol library (libbcc-loader-static, no LLVM inside), and
// the text bpftrace 0.17 prints for kstack/ustack/ksym/usym values.
//
// Nothing is read until a value is printed: the kernel's symbol table (/proc/kallsyms) and a
// process's ELF symbols are loaded on first use, so scripts that print no symbol pay nothing.
#pragma once

#include "ast/types.h"
#include "codegen/compiled_program.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

// One resolved frame. `name` empty: unknown address.
struct ResolvedSymbol {
  std::string name; // demangled for C++ user code
  uint64_t offset = 0;
  std::string module; // user symbols: the ELF file (shown by perf-mode ustack)
};

// A bcc symbol cache for one pid (-1: the kernel). Owns the cache; move-only.
class SymbolCache {
public:
  explicit SymbolCache(int pid);
  ~SymbolCache();
  SymbolCache(SymbolCache&& other) noexcept;
  SymbolCache& operator=(SymbolCache&&) = delete;
  SymbolCache(const SymbolCache&) = delete;
  SymbolCache& operator=(const SymbolCache&) = delete;

  std::optional<ResolvedSymbol> resolve(uint64_t addr);
  // Address of `name` in `module` ("" : the kernel or the process's main binary).
  std::optional<uint64_t> address_of(const std::string& module, const std::string& name);

private:
  void* cache_ = nullptr;
  int pid_;
};

// Lazy caches: the kernel's, and one per process.
class Symbolizer {
public:
  std::optional<ResolvedSymbol> kernel(uint64_t addr);
  std::optional<ResolvedSymbol> user(uint64_t addr, uint32_t pid);

private:
  std::unique_ptr<SymbolCache> kernel_;
  std::map<uint32_t, SymbolCache> user_;
};

// ---- text, as bpftrace 0.17 prints it (pure functions, unit-tested)

// "0xffffffff81000000": what bpftrace prints for an address it cannot name.
std::string hex_address(uint64_t addr);
// ksym()/usym() and one bpftrace-mode frame: "name", or "name+off" with `with_offset`.
std::string symbol_text(uint64_t addr, const std::optional<ResolvedSymbol>& sym, bool with_offset);
// One stack: "\n" then one line per frame, each "<indent spaces>name+off" (bpftrace mode) or
// "\t<hex addr> name+off" (perf mode; user frames add " (module)"). Frames stop at the
// first 0 address.
std::string stack_text(const std::vector<uint64_t>& addrs,
                       const std::vector<std::optional<ResolvedSymbol>>& syms, bool perf_mode,
                       bool user, int indent);

// ---- printing symbolized values during a run

// What printing a KStack/UStack/KSym/USym value needs: the stack maps of the loaded object
// and the caches. The runner installs one for the length of a run (ScopedSymbolContext); value
// printing (value_format.cpp) finds it through active().
class SymbolContext {
public:
  // `stack_map_fds`: depth -> fd of that depth's stack map.
  explicit SymbolContext(std::map<uint32_t, int> stack_map_fds)
      : stack_map_fds_(std::move(stack_map_fds)) {}

  // The text of a symbolized value laid out per ast/types.h; `indent`: spaces before each
  // bpftrace-mode stack frame (8 for values and printf, 4 for map keys).
  std::string format(const ast::Type& type, const uint8_t* data, int indent);

  static SymbolContext* active();

private:
  std::vector<uint64_t> read_stack(uint32_t depth, int64_t stack_id);

  std::map<uint32_t, int> stack_map_fds_;
  Symbolizer symbolizer_;
};

// Makes `context` the active one until destroyed.
class ScopedSymbolContext {
public:
  explicit ScopedSymbolContext(SymbolContext& context);
  ~ScopedSymbolContext();
  ScopedSymbolContext(const ScopedSymbolContext&) = delete;
  ScopedSymbolContext& operator=(const ScopedSymbolContext&) = delete;

private:
  SymbolContext* previous_;
};

// Symbolized text of a value without a run (unit tests, or a value printed after the run):
// addresses only, stacks empty.
std::string format_symbolized(const ast::Type& type, const uint8_t* data, int indent);

} // namespace tracelet::runtime
