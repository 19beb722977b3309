// Tracepoints from tracefs: listing (for wildcards) and format files (for `args`).
#pragma once

#include "ast/kernel_info.h"
#include "runtime/kernel/btf.h"
#include "runtime/kernel/c_defines.h"
#include "runtime/symbols/dwarf.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

// Mounts tracefs at /sys/kernel/tracing if it is not mounted yet; returns the directory to use.
// Throws tracelet::Error if neither it nor /sys/kernel/debug/tracing can be had.
std::string tracefs_dir();

class KernelInfoImpl : public ast::KernelInfo {
public:
  std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& category_glob, const std::string& name_glob) override;
  std::shared_ptr<const ast::RecordDef> tracepoint_args(const std::string& category,
                                                        const std::string& name) override;
  // Symbols for uprobe/kprobe wildcards (defined in runtime/probe_symbols.cpp).
  std::string resolve_binary(const std::string& name) override;
  std::vector<std::string> match_binary_functions(const std::string& path,
                                                  const std::string& glob) override;
  std::vector<std::string> needed_libraries(const std::string& path) override;
  std::vector<ast::UsdtLocation> usdt_locations(const std::string& path) override;
  std::vector<std::string> match_binary_paths(const std::string& glob) override;
  int traced_pid() override { return pid; }
  std::vector<std::string> process_files(int pid) override;
  int pid = 0; // -p
  bool kprobes_run_as_fentry() override;
  std::vector<std::string> match_kernel_functions(const std::string& glob) override;

  // Kernel types and constants (runtime/kernel_types.cpp): BTF is parsed on the first call.
  std::shared_ptr<const ast::RecordDef> kernel_record(const std::string& name) override;
  std::optional<ast::Type> kernel_type(const std::string& name) override;
  std::shared_ptr<const ast::RecordDef> function_args(const std::string& func) override;
  std::optional<int64_t> kernel_constant(const std::string& name,
                                         const std::vector<std::string>& headers) override;
  KernelBtf& btf();

  // uprobe args and struct casts from a binary's DWARF (runtime/symbols/binary_types.cpp):
  // each binary's debug info is opened on its first question.
  std::shared_ptr<const ast::RecordDef> binary_function_args(const std::string& path,
                                                             const std::string& func,
                                                             std::string& error) override;
  std::shared_ptr<const ast::RecordDef> binary_record(const std::string& path,
                                                      const std::string& name) override;
  BinaryDwarf& dwarf(const std::string& path);

  // kaddr(), cgroupid(), uaddr() (runtime/compile_time_values.cpp).
  std::optional<uint64_t> kernel_symbol_address(const std::string& name,
                                                std::string& error) override;
  std::optional<uint64_t> cgroup_id(const std::string& path, std::string& error) override;
  std::optional<std::pair<uint64_t, uint64_t>> binary_object_symbol(const std::string& path,
                                                                    const std::string& name,
                                                                    std::string& error) override;

private:
  std::unique_ptr<KernelBtf> btf_;
  std::unique_ptr<HeaderDefines> defines_;
  std::map<std::string, std::unique_ptr<BinaryDwarf>> dwarf_;
  std::map<std::string, std::shared_ptr<const ast::RecordDef>> formats_;
  // Directory listings, read on first use: categories, then the names in each category
  // (only categories a pattern matched are listed).
  std::optional<std::vector<std::string>> categories_;
  std::map<std::string, std::vector<std::string>> names_;
};

// Parses the text of a tracefs `format` file into a record (exposed for unit tests).
std::shared_ptr<ast::RecordDef> parse_tracepoint_format(const std::string& record_name,
                                                        const std::string& text);

} // namespace tracelet::runtime
