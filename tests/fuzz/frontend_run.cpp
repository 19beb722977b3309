#include "tests/fuzz/frontend_run.h"

#include "ast/diagnostics.h"
#include "ast/passes/semantic.h"
#include "codegen/codegen.h"
#include "parser/driver.h"
#include "runtime/kernel/tracefs.h"

#include <map>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

namespace tracelet::fuzz {

namespace {

// At most this many matches per wildcard: `tracepoint:*:*` or `uprobe:libc:*` would otherwise
// compile thousands of programs per input and starve the search.
constexpr size_t kMaxMatches = 4;

template <typename T> std::vector<T> first_few(std::vector<T> v) {
  if (v.size() > kMaxMatches) v.resize(kMaxMatches);
  return v;
}

// The running kernel's answers, asked once per question and remembered for the whole process:
// BTF (/sys/kernel/btf/vmlinux) is parsed once, tracefs formats and /proc/kallsyms are read
// once per name, so every input costs only tracelet's own work and an input gives the same
// result however often it runs. What could block or depend on the fuzzed text's file names is
// pinned: uprobe/usdt/uaddr targets are only bash and libc (any other binary is "not found"),
// and header names with ".." or a leading '/' (which could name /dev/zero) are not read.
class FixedKernelInfo : public ast::KernelInfo {
public:
  std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& category_glob, const std::string& name_glob) override {
    auto key = std::make_pair(category_glob, name_glob);
    auto it = tracepoints_.find(key);
    if (it == tracepoints_.end())
      it = tracepoints_.emplace(key, first_few(real_.match_tracepoints(category_glob, name_glob)))
               .first;
    return it->second;
  }
  std::shared_ptr<const ast::RecordDef> tracepoint_args(const std::string& category,
                                                        const std::string& name) override {
    return real_.tracepoint_args(category, name); // cached by the implementation
  }
  std::shared_ptr<const ast::RecordDef> kernel_record(const std::string& name) override {
    return real_.kernel_record(name);
  }
  std::shared_ptr<const ast::RecordDef> function_args(const std::string& func) override {
    return real_.function_args(func);
  }
  std::optional<ast::Type> kernel_type(const std::string& name) override {
    return real_.kernel_type(name);
  }
  std::optional<int64_t> kernel_constant(const std::string& name,
                                         const std::vector<std::string>& headers) override {
    std::vector<std::string> safe;
    for (const auto& h : headers)
      if (!h.empty() && h.front() != '/' && h.find("..") == std::string::npos) safe.push_back(h);
    auto key = std::make_pair(name, safe);
    auto it = constants_.find(key);
    if (it == constants_.end())
      it = constants_.emplace(key, real_.kernel_constant(name, safe)).first;
    return it->second;
  }
  std::string resolve_binary(const std::string& name) override {
    if (name != "bash" && name != "/bin/bash" && name != "/usr/bin/bash" && name != "libc")
      return "";
    auto it = binaries_.find(name);
    if (it == binaries_.end()) {
      it = binaries_.emplace(name, real_.resolve_binary(name)).first;
      allowed_paths_.insert({it->second, true});
    }
    return it->second;
  }
  std::vector<std::string> match_binary_functions(const std::string& path,
                                                  const std::string& glob) override {
    if (!allowed(path)) return {};
    return remember(functions_, {path, glob},
                    [&] { return first_few(real_.match_binary_functions(path, glob)); });
  }
  std::vector<ast::UsdtLocation> usdt_locations(const std::string& path) override {
    if (!allowed(path)) return {};
    auto it = usdt_locations_.find(path);
    if (it == usdt_locations_.end())
      it = usdt_locations_.emplace(path, first_few(real_.usdt_locations(path))).first;
    return it->second;
  }
  std::vector<std::string> needed_libraries(const std::string& path) override {
    if (!allowed(path)) return {};
    return remember(needed_, {path, ""}, [&] {
      auto libs = real_.needed_libraries(path);
      for (const auto& l : libs)
        allowed_paths_.insert({l, true});
      return libs;
    });
  }
  // Fixed, not probed: kprobes lower to fentry/fexit (the path this kernel takes), whose
  // arguments come from BTF.
  bool kprobes_run_as_fentry() override { return true; }
  std::vector<std::string> match_kernel_functions(const std::string& glob) override {
    return remember(kfuncs_, {glob, ""},
                    [&] { return first_few(real_.match_kernel_functions(glob)); });
  }
  std::optional<uint64_t> kernel_symbol_address(const std::string& name,
                                                std::string& error) override {
    auto it = ksyms_.find(name);
    if (it == ksyms_.end()) {
      std::string why;
      auto v = real_.kernel_symbol_address(name, why);
      it = ksyms_.emplace(name, std::make_pair(v, why)).first;
    }
    error = it->second.second;
    return it->second.first;
  }
  std::optional<uint64_t> cgroup_id(const std::string& path, std::string& error) override {
    auto it = cgroups_.find(path);
    if (it == cgroups_.end()) {
      std::string why;
      auto v = real_.cgroup_id(path, why);
      it = cgroups_.emplace(path, std::make_pair(v, why)).first;
    }
    error = it->second.second;
    return it->second.first;
  }
  std::optional<std::pair<uint64_t, uint64_t>> binary_object_symbol(const std::string& path,
                                                                    const std::string& name,
                                                                    std::string& error) override {
    if (!allowed(path)) {
      error = "not a binary the fuzzer reads";
      return std::nullopt;
    }
    return real_.binary_object_symbol(path, name, error);
  }

private:
  using Key = std::pair<std::string, std::string>;
  using Lists = std::map<Key, std::vector<std::string>>;
  template <typename F> std::vector<std::string> remember(Lists& cache, const Key& key, F get) {
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, get()).first;
    return it->second;
  }
  bool allowed(const std::string& path) const { return allowed_paths_.count(path) > 0; }

  runtime::KernelInfoImpl real_;
  std::map<Key, std::vector<std::pair<std::string, std::string>>> tracepoints_;
  std::map<std::pair<std::string, std::vector<std::string>>, std::optional<int64_t>> constants_;
  std::map<std::string, std::string> binaries_;
  std::map<std::string, bool> allowed_paths_;
  Lists functions_, needed_, kfuncs_;
  std::map<std::string, std::vector<ast::UsdtLocation>> usdt_locations_;
  std::map<std::string, std::pair<std::optional<uint64_t>, std::string>> ksyms_, cgroups_;
};

// Lives as long as the process, as tracelet's own KernelInfoImpl does, and is never destroyed:
// BTF records are cached with the pointers between them (struct task_struct's fields point back
// to struct task_struct), cycles that a destructor at exit would hand to LeakSanitizer.
FixedKernelInfo& kernel() {
  static FixedKernelInfo* k = new FixedKernelInfo;
  return *k;
}

} // namespace

FrontendResult run_frontend(const std::string& text) {
  FrontendResult result;
  Diagnostics diags;
  try {
    auto program = parser::parse("fuzz.bt", text, diags);
    if (program) {
      ast::SemanticOptions semantic;
      semantic.positional_params = {"1", "two"}; // $1, $2 and str($2) resolve
      semantic.unsafe = true;                    // system(), signal() are checked too
      semantic.cpid = 1;
      if (ast::analyse(*program, kernel(), diags, semantic)) {
        codegen::CodegenOptions cg;
        // Both lowerings of syscall tracepoints and every -k level, chosen by the input's size
        // so that an input always takes the same path.
        cg.helper_checks = static_cast<int>(text.size() % 3);
        cg.syscall_dispatch = text.size() % 2 == 0;
        codegen::compile(*program, cg);
        result.compiled = true;
      }
    }
  } catch (const codegen::CodegenError& e) {
    result.errors = e.loc.file ? diags.format(Diagnostic{Severity::Error, e.loc, e.what()})
                               : std::string(e.what()) + "\n";
  } catch (const Error& e) {
    result.errors = std::string(e.what()) + "\n";
  }
  if (!result.compiled && result.errors.empty()) {
    std::ostringstream out;
    diags.print(out);
    result.errors = out.str();
  }
  return result;
}

} // namespace tracelet::fuzz
