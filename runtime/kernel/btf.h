// Kernel types from the running kernel's BTF (/sys/kernel/btf/vmlinux), converted into
// ast::RecordDef on demand. Nothing is parsed until the first question, and only the records a
// script names (or reaches through a pointer or member) are converted.
#pragma once

#include "ast/types.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

struct btf;

namespace tracelet::runtime {

class KernelBtf {
public:
  // `path` empty: the running kernel's BTF (libbpf's btf__load_vmlinux_btf).
  explicit KernelBtf(std::string path = {});
  ~KernelBtf();
  KernelBtf(const KernelBtf&) = delete;
  KernelBtf& operator=(const KernelBtf&) = delete;

  // "struct task_struct" / "union bpf_attr": the record with its fields (members of anonymous
  // structs and unions are lifted into it, as C lets them be named). Records reached through
  // pointers or by value are returned with `fields_pending` set and filled in place when they
  // are asked for here. nullptr if BTF has no such complete type.
  std::shared_ptr<const ast::RecordDef> record(const std::string& c_name);
  // The parameters of kernel function `func` from its BTF prototype, as fentry/fexit see them:
  // a record "struct <func>_args" with one field per named parameter at 8 * its slot in the
  // program's u64 context array (a struct of 9..16 bytes passed by value takes two slots), and
  // for a non-void function a last field "$retval" with the return type (fexit's retval).
  // nullptr if BTF has no such function.
  std::shared_ptr<const ast::RecordDef> function_args(const std::string& func);
  // A typedef (e.g. "pid_t", "u64") or base type name ("unsigned int") as a tracelet type.
  std::optional<ast::Type> named_type(const std::string& name);
  // The value of an enumerator of any kernel enum (e.g. "TASK_COMM_LEN" is not one, but
  // "BPF_MAP_TYPE_HASH" is).
  std::optional<int64_t> enum_constant(const std::string& name);

  // Whether BTF was parsed (tests check that scripts without kernel types never parse it).
  bool loaded() const { return btf_ != nullptr; }

private:
  bool load();
  ast::Type convert(uint32_t type_id);
  std::shared_ptr<ast::RecordDef> record_for_id(uint32_t type_id);
  void fill(ast::RecordDef& def, uint32_t type_id);
  void add_members(ast::RecordDef& def, uint32_t type_id, uint64_t base_bits);
  uint32_t skip_modifiers(uint32_t type_id);

  std::string path_;
  bool tried_ = false;
  struct btf* btf_ = nullptr;
  // Records by BTF type id: every Type that names the same kernel record shares one RecordDef.
  std::map<uint32_t, std::shared_ptr<ast::RecordDef>> records_;
  std::optional<std::map<std::string, int64_t>> enum_constants_;
};

} // namespace tracelet::runtime
