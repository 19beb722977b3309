// watchpoint and asyncwatchpoint attach points (ast/passes/watchpoint_probes.cpp):
//
//   watchpoint:ADDRESS:LENGTH:MODE                 ADDRESS in the traced process (-p/-c),
//                                                  else in the kernel
//   watchpoint:FUNCTION+argN:LENGTH:MODE           the address in argN when FUNCTION of the
//   asyncwatchpoint:FUNCTION+argN:LENGTH:MODE      traced process is entered (-p/-c needed)
//
// Once resolved, an AttachPoint of these providers holds
//   func      FUNCTION ("" for the absolute form)
//   target    the traced program (FUNCTION+argN form, set by resolve_watchpoint_targets)
//   offset    ADDRESS (absolute form) or N (FUNCTION+argN form)
//   freq      LENGTH in bytes: 1, 2, 4 or 8
//   parts[3]  MODE, sorted: "w", "rw" or "x"
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "ast/kernel_info.h"

#include <string>

namespace tracelet::ast {

inline bool is_watchpoint(const std::string& provider) {
  return provider == "watchpoint" || provider == "asyncwatchpoint";
}

// Checks and fills the fields above (but target) from ap.parts; errors to `diags`.
void parse_watchpoint(AttachPoint& ap, Diagnostics& diags);

// After analyse(): FUNCTION+argN watchpoints need a traced process (pid > 0 for -p, cpid > 0
// for -c) whose program, `traced_binary`, has FUNCTION; their target becomes that program. At
// most four absolute watchpoints (x86-64's debug registers). False if it reported an error.
bool resolve_watchpoint_targets(Program& program, KernelInfo& kernel, Diagnostics& diags, int pid,
                                int cpid, const std::string& traced_binary);

} // namespace tracelet::ast
