// The C definitions of a script as types: records laid out by the C rules (natural alignment,
// bitfields packed into units of their type, anonymous members flattened), typedefs, enums and
// their enumerators. ScriptTypes answers the type passes' questions about names first from the
// script and then from the kernel, so a script's definition wins over BTF's, and members may
// use BTF types.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "ast/kernel_info.h"

#include <map>

namespace tracelet::ast::passes {

class ScriptTypes : public KernelInfo {
public:
  explicit ScriptTypes(KernelInfo& kernel) : kernel_(kernel) {}

  // Lays out every definition of `program`, in order; errors are reported located.
  void define(const Program& program, Diagnostics& diags);

  // Answered from the script first.
  std::shared_ptr<const RecordDef> kernel_record(const std::string& name) override;
  std::optional<Type> kernel_type(const std::string& name) override;
  std::optional<int64_t> kernel_constant(const std::string& name,
                                         const std::vector<std::string>& headers) override;

  // Forwarded to the kernel.
  std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& category_glob, const std::string& name_glob) override {
    return kernel_.match_tracepoints(category_glob, name_glob);
  }
  std::shared_ptr<const RecordDef> tracepoint_args(const std::string& category,
                                                   const std::string& name) override {
    return kernel_.tracepoint_args(category, name);
  }
  std::shared_ptr<const RecordDef> function_args(const std::string& func) override {
    return kernel_.function_args(func);
  }
  std::string resolve_binary(const std::string& name) override {
    return kernel_.resolve_binary(name);
  }
  std::vector<std::string> match_binary_functions(const std::string& path,
                                                  const std::string& glob) override {
    return kernel_.match_binary_functions(path, glob);
  }
  std::vector<UsdtLocation> usdt_locations(const std::string& path) override {
    return kernel_.usdt_locations(path);
  }
  std::vector<std::string> match_binary_paths(const std::string& glob) override {
    return kernel_.match_binary_paths(glob);
  }
  int traced_pid() override { return kernel_.traced_pid(); }
  std::vector<std::string> process_files(int pid) override { return kernel_.process_files(pid); }
  std::vector<std::string> needed_libraries(const std::string& path) override {
    return kernel_.needed_libraries(path);
  }
  std::shared_ptr<const RecordDef> binary_function_args(const std::string& path,
                                                        const std::string& func,
                                                        std::string& error) override {
    return kernel_.binary_function_args(path, func, error);
  }
  std::shared_ptr<const RecordDef> binary_record(const std::string& path,
                                                 const std::string& name) override {
    return kernel_.binary_record(path, name);
  }
  bool kprobes_run_as_fentry() override { return kernel_.kprobes_run_as_fentry(); }
  std::vector<std::string> match_kernel_functions(const std::string& glob) override {
    return kernel_.match_kernel_functions(glob);
  }
  std::optional<uint64_t> kernel_symbol_address(const std::string& name,
                                                std::string& error) override {
    return kernel_.kernel_symbol_address(name, error);
  }
  std::optional<uint64_t> cgroup_id(const std::string& path, std::string& error) override {
    return kernel_.cgroup_id(path, error);
  }
  std::optional<std::pair<uint64_t, uint64_t>> binary_object_symbol(const std::string& path,
                                                                    const std::string& name,
                                                                    std::string& error) override {
    return kernel_.binary_object_symbol(path, name, error);
  }

private:
  // A base type by name: C and tracelet integer names, the script's typedefs, BTF.
  std::optional<Type> named(const CTypeName& t, Diagnostics& diags);
  std::optional<Type> base_type(const CTypeName& t, Diagnostics& diags);
  std::optional<Type> declared_type(const Type& base, bool is_char, const CDeclarator& d,
                                    Diagnostics& diags);
  std::shared_ptr<RecordDef> layout(const CRecordBody& body, Diagnostics& diags);
  void define_enum(const CEnumBody& body);

  KernelInfo& kernel_;
  std::map<std::string, std::shared_ptr<RecordDef>> records_; // "struct foo"
  std::map<std::string, Type> typedefs_;                      // "foo_t", "enum e"
  std::map<std::string, int64_t> enumerators_;
  std::map<const CRecordBody*, std::shared_ptr<RecordDef>> anonymous_;
};

} // namespace tracelet::ast::passes
