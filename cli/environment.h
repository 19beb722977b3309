// bpftrace's environment variables, read once at start-up and handed to the stages that use
// them: BPFTRACE_STRLEN, BPFTRACE_CAT_BYTES_MAX, BPFTRACE_MAX_PROBES, BPFTRACE_MAX_BPF_PROGS,
// BPFTRACE_PERF_RB_PAGES, BPFTRACE_NO_CPP_DEMANGLE and BPFTRACE_LOG_SIZE.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace tracelet::cli {

struct Environment {
  uint64_t strlen = 64; // bytes of a str() value, NUL included (at most 200)
  uint64_t cat_bytes_max = 10240;
  uint64_t max_probes = 512;    // attach points after wildcard expansion
  uint64_t max_bpf_progs = 512; // BPF programs generated
  uint64_t perf_rb_pages = 64;  // a power of 2
  bool cpp_demangle = true;
  uint64_t log_size = 1000000;
};

// Reads the variables through `getenv` (std::getenv by default, a map in tests). Throws
// tracelet::Error with bpftrace's wording for a value that is not a positive integer
// ("Env var 'BPFTRACE_STRLEN' did not contain a valid uint64_t, or was zero-valued."), a
// BPFTRACE_STRLEN above 200, a page count that is not a power of 2 and a
// BPFTRACE_NO_CPP_DEMANGLE other than 0 or 1.
using GetEnv = std::function<std::optional<std::string>(const std::string&)>;
Environment read_environment(const GetEnv& getenv = {});

// Makes every stage use `env`: the string size of the type rules, the runtime's tunables.
// (max_probes and max_bpf_progs travel in ast::SemanticOptions.)
void apply_environment(const Environment& env);

} // namespace tracelet::cli
