// The checking passes, in order. Each is a small visitor in its own file; this runs them.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "ast/kernel_info.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::ast {

struct SemanticOptions {
  std::vector<std::string> positional_params; // $1.. as given on the command line
  bool unsafe = false;                         // --unsafe: allow system(), signal()
  int cpid = -1;                               // -c: the child's pid (the `cpid` builtin)
  uint64_t max_probes = 512;    // BPFTRACE_MAX_PROBES: concrete attach points, at most
  uint64_t max_bpf_progs = 512; // BPFTRACE_MAX_BPF_PROGS: generated programs, at most
};

// Attach-point parsing and validation, probe expansion (wildcards), name resolution, type
// inference and function/builtin signature checks. Annotates `program` in place. Returns false
// if any error was reported to `diags` (all passes still run as far as they sensibly can, so
// that one run reports every error).
bool analyse(Program& program, KernelInfo& kernel, Diagnostics& diags,
             const SemanticOptions& options);

} // namespace tracelet::ast
