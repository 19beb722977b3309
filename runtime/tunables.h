// Run-time limits that bpftrace lets users change through environment variables. cli/ sets
// them once at start-up (cli/environment.cpp); the runtime only reads them.
#pragma once

#include <cstddef>

namespace tracelet::runtime {

struct Tunables {
  size_t cat_bytes_max = 10240; // BPFTRACE_CAT_BYTES_MAX: bytes cat() prints at most
  unsigned perf_rb_pages = 64;  // BPFTRACE_PERF_RB_PAGES: perf buffer pages per CPU
  bool cpp_demangle = true;     // BPFTRACE_NO_CPP_DEMANGLE=1 clears it: user symbols raw
  size_t log_size = 1000000;    // BPFTRACE_LOG_SIZE: verifier log buffer, bytes
};

// The process's tunables (defaults as bpftrace 0.17's).
Tunables& tunables();

} // namespace tracelet::runtime
