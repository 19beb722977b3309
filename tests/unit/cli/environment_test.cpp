// bpftrace's environment variables (bpftrace(8), ENVIRONMENT VARIABLES): defaults, accepted
// values and bpftrace 0.17's messages for the rejected ones.
#include "ast/diagnostics.h"
#include "cli/environment.h"

#include <gtest/gtest.h>

#include <map>

using tracelet::cli::Environment;
using tracelet::cli::read_environment;

namespace {

tracelet::cli::GetEnv from(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(std::map<std::string, std::string> vars) {
  try {
    read_environment(from(std::move(vars)));
  } catch (const tracelet::Error& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(Environment, DefaultsAreBpftraces) {
  Environment env = read_environment(from({}));
  EXPECT_EQ(env.strlen, 64u);
  EXPECT_EQ(env.cat_bytes_max, 10240u);
  EXPECT_EQ(env.max_probes, 512u);
  EXPECT_EQ(env.max_bpf_progs, 512u);
  EXPECT_EQ(env.perf_rb_pages, 64u);
  EXPECT_TRUE(env.cpp_demangle);
  EXPECT_EQ(env.log_size, 1000000u);
}

TEST(Environment, ValuesAreRead) {
  Environment env = read_environment(from({{"BPFTRACE_STRLEN", "200"},
                                           {"BPFTRACE_CAT_BYTES_MAX", "5"},
                                           {"BPFTRACE_MAX_PROBES", "3"},
                                           {"BPFTRACE_MAX_BPF_PROGS", "7"},
                                           {"BPFTRACE_PERF_RB_PAGES", "128"},
                                           {"BPFTRACE_NO_CPP_DEMANGLE", "1"},
                                           {"BPFTRACE_LOG_SIZE", "4096"}}));
  EXPECT_EQ(env.strlen, 200u);
  EXPECT_EQ(env.cat_bytes_max, 5u);
  EXPECT_EQ(env.max_probes, 3u);
  EXPECT_EQ(env.max_bpf_progs, 7u);
  EXPECT_EQ(env.perf_rb_pages, 128u);
  EXPECT_FALSE(env.cpp_demangle);
  EXPECT_EQ(env.log_size, 4096u);
  EXPECT_TRUE(read_environment(from({{"BPFTRACE_NO_CPP_DEMANGLE", "0"}})).cpp_demangle);
  EXPECT_EQ(read_environment(from({{"BPFTRACE_CAT_BYTES_MAX", "0"}})).cat_bytes_max, 0u);
}

TEST(Environment, NonNumbersAndZeroAreRejectedWithBpftracesMessage) {
  EXPECT_EQ(error_of({{"BPFTRACE_STRLEN", "abc"}}),
            "Env var 'BPFTRACE_STRLEN' did not contain a valid uint64_t, or was zero-valued.");
  EXPECT_EQ(error_of({{"BPFTRACE_STRLEN", ""}}),
            "Env var 'BPFTRACE_STRLEN' did not contain a valid uint64_t, or was zero-valued.");
  EXPECT_EQ(error_of({{"BPFTRACE_MAX_PROBES", "0"}}),
            "Env var 'BPFTRACE_MAX_PROBES' did not contain a valid uint64_t, or was zero-valued.");
  EXPECT_EQ(error_of({{"BPFTRACE_LOG_SIZE", "-1"}}),
            "Env var 'BPFTRACE_LOG_SIZE' did not contain a valid uint64_t, or was zero-valued.");
  EXPECT_NE(error_of({{"BPFTRACE_MAX_BPF_PROGS", "12x"}}), "");
}

TEST(Environment, LimitsOfStrlenPagesAndDemangle) {
  EXPECT_NE(error_of({{"BPFTRACE_STRLEN", "201"}}).find("exceeds the current maximum of 200"),
            std::string::npos);
  EXPECT_NE(error_of({{"BPFTRACE_PERF_RB_PAGES", "3"}}).find("power of 2"), std::string::npos);
  EXPECT_EQ(error_of({{"BPFTRACE_NO_CPP_DEMANGLE", "yes"}}),
            "Env var 'BPFTRACE_NO_CPP_DEMANGLE' did not contain a valid value (0 or 1).");
}
