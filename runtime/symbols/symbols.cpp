#include "runtime/symbols/symbols.h"

#include "runtime/tunables.h"

#include <bcc/bcc_syms.h>
#include <bpf/bpf.h>

#include <cstdio>
#include <cstring>

namespace tracelet::runtime {

// ---- caches

SymbolCache::SymbolCache(int pid) : pid_(pid) {
  bcc_symbol_option options{};
  options.use_debug_file = 1;
  options.check_debug_file_crc = 1;
  options.lazy_symbolize = 1;
  // Function symbols only (STT_FUNC | STT_GNU_IFUNC), as bcc's default.
  options.use_symbol_type = (1 << 2) | (1 << 10);
  cache_ = bcc_symcache_new(pid, &options);
}

SymbolCache::~SymbolCache() {
  if (cache_) bcc_free_symcache(cache_, pid_);
}

SymbolCache::SymbolCache(SymbolCache&& other) noexcept : cache_(other.cache_), pid_(other.pid_) {
  other.cache_ = nullptr;
}

std::optional<ResolvedSymbol> SymbolCache::resolve(uint64_t addr) {
  if (!cache_) return std::nullopt;
  bcc_symbol sym{};
  if (bcc_symcache_resolve(cache_, addr, &sym) != 0) {
    bcc_symbol_free_demangle_name(&sym);
    return std::nullopt;
  }
  ResolvedSymbol out;
  // BPFTRACE_NO_CPP_DEMANGLE=1: C++ names as the binary spells them (_ZN...).
  bool demangle = sym.demangle_name && tunables().cpp_demangle;
  const char* name = demangle ? sym.demangle_name : sym.name;
  out.name = name ? name : "";
  out.offset = sym.offset;
  out.module = sym.module ? sym.module : "";
  bcc_symbol_free_demangle_name(&sym);
  if (out.name.empty()) return std::nullopt;
  return out;
}

std::optional<uint64_t> SymbolCache::address_of(const std::string& module,
                                                const std::string& name) {
  uint64_t addr = 0;
  if (!cache_ || bcc_symcache_resolve_name(cache_, module.empty() ? nullptr : module.c_str(),
                                           name.c_str(), &addr) != 0)
    return std::nullopt;
  return addr;
}

std::optional<ResolvedSymbol> Symbolizer::kernel(uint64_t addr) {
  if (!kernel_) kernel_ = std::make_unique<SymbolCache>(-1);
  return kernel_->resolve(addr);
}

std::optional<ResolvedSymbol> Symbolizer::user(uint64_t addr, uint32_t pid) {
  auto it = user_.find(pid);
  if (it == user_.end()) it = user_.emplace(pid, SymbolCache(static_cast<int>(pid))).first;
  return it->second.resolve(addr);
}

// ---- text

// As bpftrace (C++ std::hex with showbase): 0 is "0", not "0x0".
std::string hex_address(uint64_t addr) {
  if (addr == 0) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(addr));
  return buf;
}

std::string symbol_text(uint64_t addr, const std::optional<ResolvedSymbol>& sym, bool with_offset) {
  if (!sym) return hex_address(addr);
  if (!with_offset) return sym->name;
  return sym->name + "+" + std::to_string(sym->offset);
}

std::string stack_text(const std::vector<uint64_t>& addrs,
                       const std::vector<std::optional<ResolvedSymbol>>& syms, bool perf_mode,
                       bool user, int indent) {
  std::string out = "\n";
  const std::string padding(static_cast<size_t>(indent), ' ');
  for (size_t i = 0; i < addrs.size() && addrs[i] != 0; ++i) {
    const auto& sym = i < syms.size() ? syms[i] : std::nullopt;
    if (!perf_mode) {
      out += padding + symbol_text(addrs[i], sym, true) + "\n";
      continue;
    }
    char hex[32];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(addrs[i]));
    out += "\t" + std::string(hex) + " " + symbol_text(addrs[i], sym, true);
    if (user) out += " (" + (sym && !sym->module.empty() ? sym->module : "[unknown]") + ")";
    out += "\n";
  }
  return out;
}

// ---- values during a run

namespace {

SymbolContext* g_active = nullptr;

uint64_t read_u64(const uint8_t* data) {
  uint64_t v;
  std::memcpy(&v, data, 8);
  return v;
}

} // namespace

SymbolContext* SymbolContext::active() {
  return g_active;
}

ScopedSymbolContext::ScopedSymbolContext(SymbolContext& context) : previous_(g_active) {
  g_active = &context;
}

ScopedSymbolContext::~ScopedSymbolContext() {
  g_active = previous_;
}

std::vector<uint64_t> SymbolContext::read_stack(uint32_t depth, int64_t stack_id) {
  auto it = stack_map_fds_.find(depth);
  if (it == stack_map_fds_.end() || stack_id < 0) return {};
  std::vector<uint64_t> addrs(depth, 0);
  uint32_t key = static_cast<uint32_t>(stack_id);
  if (bpf_map_lookup_elem(it->second, &key, addrs.data()) != 0) return {};
  return addrs;
}

std::string SymbolContext::format(const ast::Type& type, const uint8_t* data, int indent) {
  using ast::TypeKind;
  uint64_t raw = read_u64(data);
  switch (type.kind) {
  case TypeKind::KSym:
    return symbol_text(raw, symbolizer_.kernel(raw), false);
  case TypeKind::USym: {
    auto pid = static_cast<uint32_t>(read_u64(data + 8));
    return symbol_text(raw, symbolizer_.user(raw, pid), false);
  }
  case TypeKind::KStack:
  case TypeKind::UStack: {
    bool user = type.kind == TypeKind::UStack;
    // kstack: the stack id (negative if get_stackid failed); ustack: pid << 32 | u32 id.
    int64_t id = user ? static_cast<int32_t>(raw & 0xffffffffu) : static_cast<int64_t>(raw);
    auto pid = static_cast<uint32_t>(raw >> 32);
    auto addrs = read_stack(type.stack_depth, id);
    std::vector<std::optional<ResolvedSymbol>> syms;
    for (uint64_t a : addrs) {
      if (a == 0) break;
      syms.push_back(user ? symbolizer_.user(a, pid) : symbolizer_.kernel(a));
    }
    return stack_text(addrs, syms, type.stack_perf, user, indent);
  }
  default:
    return "";
  }
}

std::string format_symbolized(const ast::Type& type, const uint8_t* data, int indent) {
  if (SymbolContext* context = SymbolContext::active()) return context->format(type, data, indent);
  using ast::TypeKind;
  if (type.kind == TypeKind::KSym || type.kind == TypeKind::USym)
    return hex_address(read_u64(data));
  return "\n";
}

} // namespace tracelet::runtime
