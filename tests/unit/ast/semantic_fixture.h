// Shared helpers for the semantic-pass tests: a fake kernel with canned tracepoints (so tests
// need no tracefs), a one-call "parse and analyse", and a per-expression type dump.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "ast/kernel_info.h"
#include "ast/passes/semantic.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::runtime {
class KernelInfoImpl;
}

namespace tracelet::test {

// Canned format files, copied from this machine's tracefs.
extern const char* const kSysEnterOpenatFormat;
extern const char* const kSysEnterOpenFormat;
extern const char* const kSysEnterReadFormat;
extern const char* const kSchedProcessExecFormat;
extern const char* const kSchedSwitchFormat;

class FakeKernel : public ast::KernelInfo {
public:
  FakeKernel();
  std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& category_glob, const std::string& name_glob) override;
  std::shared_ptr<const ast::RecordDef> tracepoint_args(const std::string& category,
                                                        const std::string& name) override;
  // Canned binaries (/bin/bash, /bin/x, libc) and kernel functions for function probes.
  std::string resolve_binary(const std::string& name) override;
  std::vector<std::string> match_binary_functions(const std::string& path,
                                                  const std::string& glob) override;
  std::vector<std::string> needed_libraries(const std::string& path) override;
  // USDT notes of /bin/x: prov:probe ("-4@%eax 8@16(%rsp)"), prov:other ("8@$5"), tl:probe
  // ("8@%rdi"), tl:twice at two addresses ("-8@%rdi", "-8@%rax"); /bin/y: tl:probe ("4@%esi"),
  // tl:global ("-4@counter(%rip) 8@16+table(%rip) 2@gone(%rip)" at 0x1020).
  // /bin/* matches /bin/x and /bin/y; pid 42 runs /bin/y.
  std::vector<ast::UsdtLocation> usdt_locations(const std::string& path) override;
  // Data symbols of /bin/y (also as pid 42's program): counter (0x4010, 4 bytes), table
  // (0x4020, 32 bytes).
  std::optional<std::pair<uint64_t, uint64_t>> binary_object_symbol(const std::string& path,
                                                                    const std::string& name,
                                                                    std::string& error) override;
  std::vector<std::string> match_binary_paths(const std::string& glob) override;
  int traced_pid() override { return pid; }
  std::vector<std::string> process_files(int pid) override;
  int pid = 0;
  // BTF prototypes for fentry/fexit: vfs_read and vfs_write (ssize_t (struct file *, char *,
  // size_t, loff_t *)), d_lookup (returns struct dentry *), ksys_sync (void (void)).
  std::shared_ptr<const ast::RecordDef> function_args(const std::string& func) override;
  std::vector<std::string> match_kernel_functions(const std::string& glob) override;

  // The kernel-features answer: no kprobes, fentry loads (kprobe probes then run as fentry).
  bool kprobes_run_as_fentry() override { return fentry_instead_of_kprobes; }
  bool fentry_instead_of_kprobes = false;

  int match_calls = 0;
  int args_calls = 0;

private:
  std::map<std::pair<std::string, std::string>, std::string> formats_;
};

struct Analysed {
  std::unique_ptr<ast::Program> program;
  Diagnostics diags;
  bool ok = false;
  std::string source;
  // Every diagnostic, formatted as the CLI prints it.
  std::string errors() const;
  // The type of the first expression whose source text is exactly `text` ("" if none).
  std::string type_of(const std::string& text) const;
  // "text: type" for every expression, in visiting order.
  std::vector<std::string> all_types() const;
};

std::unique_ptr<Analysed> analyse(const std::string& source, std::vector<std::string> params = {},
                                  FakeKernel* kernel = nullptr);

// The fake kernel's probes, with kernel records from this machine's BTF.
class BtfKernel : public FakeKernel {
public:
  BtfKernel();
  ~BtfKernel() override;
  std::shared_ptr<const ast::RecordDef> kernel_record(const std::string& name) override;

private:
  std::unique_ptr<runtime::KernelInfoImpl> real_;
};

// Analyses with a BtfKernel; skips where the kernel has no BTF (/sys/kernel/btf/vmlinux).
class BtfSemanticTest : public ::testing::Test {
protected:
  void SetUp() override;
  std::unique_ptr<Analysed> run(const std::string& source, std::vector<std::string> params = {}) {
    return analyse(source, std::move(params), &kernel_);
  }
  BtfKernel kernel_;
};

// A program the passes refuse, and every diagnostic they report on it, formatted.
struct SemanticErrorCase {
  const char* source;
  const char* expected;
};

// Failures name the program, not the bytes of the struct.
void PrintTo(const SemanticErrorCase& c, std::ostream* os);

// Each case analysed with a BtfKernel: it parses, fails, and reports exactly `expected`.
class BtfSemanticErrors : public BtfSemanticTest,
                          public ::testing::WithParamInterface<SemanticErrorCase> {
protected:
  void expect_reported_exactly();
};

} // namespace tracelet::test
