// The watchpoint side of the contract between codegen and the runtime (beside
// compiled_program.h), for ast/watchpoints.h's probes:
//
// - The probe's own program: provider "watchpoint" or "asyncwatchpoint", section
//   "perf_event", attached by the runtime to a hardware breakpoint: ProgramDesc::offset the
//   address (0 for a FUNCTION+argN one, attached where its events say), ::freq the length,
//   ::target the mode ("w", "rw", "x"), ::func FUNCTION (or "").
// - A FUNCTION+argN watchpoint's uprobe on FUNCTION: provider "watchpoint_setup" (or
//   "asyncwatchpoint_setup"), ::target the program, ::func FUNCTION, attached to the traced
//   process. It stops the process with SIGSTOP (the synchronous kind only) and sends argN in a
//   kWatchpointAttach event whose id is the index in CompiledProgram::programs of the
//   watchpoint's program; user space sets the breakpoint, then continues the process
//   (SIGCONT).
// - unwatch(addr): a kWatchpointDetach event, id 0.
// Both events carry a u64 address as payload. Their kinds lie beyond EventKind's values.
#pragma once

#include "codegen/compiled_program.h"

#include <cstdint>
#include <string>

namespace tracelet::codegen {

constexpr uint32_t kWatchpointAttach = 0x100;
constexpr uint32_t kWatchpointDetach = 0x101;

inline bool is_watchpoint_setup(const std::string& provider) {
  return provider == "watchpoint_setup" || provider == "asyncwatchpoint_setup";
}

} // namespace tracelet::codegen
