// Source -> parse -> analyse -> compile, and loading the result into the kernel verifier.
#pragma once

#include "ast/kernel_info.h"
#include "codegen/codegen.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace tracelet::testing {

struct Compiled {
  codegen::CompiledProgram program;
  std::string ir; // optimised IR (`-d ir`)
};

// A KernelInfo that knows two tracepoints with fixed layouts, for tests that must not depend
// on the running kernel (IR shape checks).
class FakeKernelInfo : public ast::KernelInfo {
public:
  std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& category_glob, const std::string& name_glob) override;
  std::shared_ptr<const ast::RecordDef> tracepoint_args(const std::string& category,
                                                        const std::string& name) override;
  // fentry/fexit: vfs_read(struct file *, char *, size_t count, loff_t *) returning ssize_t,
  // with an int `flags` parameter on do_nanosleep's place for a narrow argument.
  std::shared_ptr<const ast::RecordDef> function_args(const std::string& func) override;
};

// Compiles `source`; ADD_FAILURE()s with the diagnostics if the front end rejects it.
// `real_kernel`: resolve tracepoints through tracefs (needed to load tracepoint programs).
// `helper_checks`, `syscall_dispatch`: as CodegenOptions (-k: 1, -kk: 2).
std::unique_ptr<Compiled> compile_source(const std::string& source, bool real_kernel,
                                         int helper_checks = 0, bool syscall_dispatch = true);

// Loads every program into the kernel. Returns "" on success, else the libbpf/verifier log.
std::string load_into_kernel(const codegen::CompiledProgram& program);

// Why loading cannot be tested here ("" if it can): not root, or no tracefs.
std::string kernel_unavailable_reason();

// Offsets of the context loads in `ir`: "getelementptr inbounds i8, i8* %ctx, i64 N", in order.
std::vector<int> ctx_offsets(const std::string& ir);

// Number of `call <id>`-style helper calls in the IR: inttoptr (i64 <id> to ...).
int count_helper_calls(const std::string& ir, int helper_id);

} // namespace tracelet::testing
