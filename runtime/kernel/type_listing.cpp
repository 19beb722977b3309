#include "runtime/kernel/type_listing.h"

#include "ast/diagnostics.h"
#include "ast/kernel_info.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

namespace tracelet::runtime {

namespace {

// "struct task_struct" for a named struct, union or enum; "" for any other type. (64-bit
// enums are not listed, as in bpftrace 0.17.)
std::string type_name(const struct btf* btf, const btf_type* t) {
  const char* kind = btf_is_struct(t)               ? "struct "
                     : btf_is_union(t)              ? "union "
                     : btf_kind(t) == BTF_KIND_ENUM ? "enum "
                                                    : nullptr;
  const char* name = btf__name_by_offset(btf, t->name_off);
  if (!kind || !name || !*name) return "";
  return kind + std::string(name);
}

void append_printf(void* ctx, const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return;
  auto& out = *static_cast<std::string*>(ctx);
  size_t at = out.size();
  out.resize(at + static_cast<size_t>(n) + 1);
  std::vsnprintf(out.data() + at, static_cast<size_t>(n) + 1, fmt, args);
  out.resize(at + static_cast<size_t>(n));
}

// The C definitions of the types `ids`: libbpf's dumper writes each type after those it holds
// by value, every one once, each followed by an empty line. Of what it writes, the definitions
// whose first line is "<name> {" for a wanted name are kept, without their empty line.
std::set<std::string> definitions(const struct btf* btf, const std::set<std::string>& wanted,
                                  const std::vector<uint32_t>& ids) {
  std::string text;
  std::unique_ptr<btf_dump, decltype(&btf_dump__free)> dump(
      btf_dump__new(btf, append_printf, &text, nullptr), &btf_dump__free);
  if (!dump) throw Error("cannot print BTF types: " + std::string(std::strerror(errno)));
  for (uint32_t id : ids)
    if (int err = btf_dump__dump_type(dump.get(), id); err < 0)
      throw Error("cannot print BTF type " + std::to_string(id) + ": " + std::strerror(-err));
  std::set<std::string> out;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find("\n\n", start);
    if (end == std::string::npos) end = text.size();
    std::string def = text.substr(start, end - start);
    size_t brace = def.find(" {\n");
    if (brace != std::string::npos && wanted.count(def.substr(0, brace))) out.insert(def + "\n");
    start = end + 2;
  }
  return out;
}

} // namespace

bool is_type_pattern(const std::string& pattern) {
  if (pattern.find(':') != std::string::npos) return false;
  for (const char* kind : {"struct", "union", "enum"})
    if (pattern.rfind(kind, 0) == 0) return true;
  return false;
}

std::string list_types(const struct btf* btf, const std::string& pattern, bool verbose) {
  std::set<std::string> names;
  std::vector<uint32_t> ids;
  for (uint32_t id = 1, n = btf__type_cnt(btf); id < n; ++id) {
    std::string name = type_name(btf, btf__type_by_id(btf, id));
    if (name.empty() || !ast::glob_match(pattern, name)) continue;
    names.insert(name);
    ids.push_back(id);
  }
  std::string out;
  if (!verbose) {
    for (const auto& name : names)
      out += name + "\n";
    return out;
  }
  for (const auto& def : definitions(btf, names, ids))
    out += def + "\n";
  return out;
}

std::string list_kernel_types(const std::string& pattern, bool verbose) {
  std::unique_ptr<struct btf, decltype(&btf__free)> vmlinux(btf__load_vmlinux_btf(), &btf__free);
  if (!vmlinux)
    throw Error("cannot list kernel types: this kernel has no BTF (/sys/kernel/btf/vmlinux)");
  return list_types(vmlinux.get(), pattern, verbose);
}

} // namespace tracelet::runtime
