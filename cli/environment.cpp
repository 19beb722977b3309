#include "cli/environment.h"

#include "ast/diagnostics.h"
#include "ast/types.h"
#include "runtime/tunables.h"

#include <cstdlib>

namespace tracelet::cli {

namespace {

constexpr uint64_t kMaxStrlen = 200; // strings live on the 512-byte BPF stack

// A positive decimal integer, or nothing.
std::optional<uint64_t> parse_positive(const std::string& text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v == 0) return std::nullopt;
  return v;
}

[[noreturn]] void invalid_uint(const std::string& name) {
  throw Error("Env var '" + name + "' did not contain a valid uint64_t, or was zero-valued.");
}

} // namespace

Environment read_environment(const GetEnv& getenv_fn) {
  GetEnv get = getenv_fn ? getenv_fn : [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  Environment env;
  auto read_uint = [&](const char* name, uint64_t& into, bool zero_allowed = false) {
    auto text = get(name);
    if (!text) return;
    if (zero_allowed && *text == "0") {
      into = 0;
      return;
    }
    auto v = parse_positive(*text);
    if (!v) invalid_uint(name);
    into = *v;
  };
  read_uint("BPFTRACE_STRLEN", env.strlen);
  if (env.strlen > kMaxStrlen)
    throw Error("'BPFTRACE_STRLEN' " + std::to_string(env.strlen) +
                " exceeds the current maximum of " + std::to_string(kMaxStrlen) +
                " bytes (strings are stored on the 512-byte BPF stack)");
  read_uint("BPFTRACE_CAT_BYTES_MAX", env.cat_bytes_max, /*zero_allowed=*/true);
  read_uint("BPFTRACE_MAX_PROBES", env.max_probes);
  read_uint("BPFTRACE_MAX_BPF_PROGS", env.max_bpf_progs);
  read_uint("BPFTRACE_PERF_RB_PAGES", env.perf_rb_pages);
  if ((env.perf_rb_pages & (env.perf_rb_pages - 1)) != 0 || env.perf_rb_pages > (1u << 20))
    throw Error("'BPFTRACE_PERF_RB_PAGES' must be a power of 2 (at most 1048576), not " +
                std::to_string(env.perf_rb_pages));
  read_uint("BPFTRACE_LOG_SIZE", env.log_size);
  if (auto text = get("BPFTRACE_NO_CPP_DEMANGLE")) {
    if (*text == "1")
      env.cpp_demangle = false;
    else if (*text != "0")
      throw Error("Env var 'BPFTRACE_NO_CPP_DEMANGLE' did not contain a valid value (0 or 1).");
  }
  return env;
}

void apply_environment(const Environment& env) {
  ast::Type::kDefaultStringSize = env.strlen;
  auto& t = runtime::tunables();
  t.cat_bytes_max = env.cat_bytes_max;
  t.perf_rb_pages = static_cast<unsigned>(env.perf_rb_pages);
  t.cpp_demangle = env.cpp_demangle;
  t.log_size = env.log_size;
}

} // namespace tracelet::cli
