// Kernel limits that can be known before compiling: a tracepoint (like a kprobe, through its
// perf event) runs at most 64 BPF programs (BPF_TRACE_MAX_PROGS); the 65th probe on one is a
// located error here instead of "Argument list too long" from the kernel after a full compile.
#include "ast/passes/passes.h"

#include <map>

namespace tracelet::ast::passes {

void check_program_limits(Program& program, Diagnostics& diags) {
  std::map<std::string, int> programs_on; // "tracepoint:cat:name" -> programs so far
  for (auto& probe : program.probes) {
    for (auto& ap : probe->expanded) {
      if (ap->provider != "tracepoint" && ap->provider != "kprobe" && ap->provider != "kretprobe")
        continue;
      std::string name = ap->name();
      if (++programs_on[name] == kMaxProgramsPerEvent + 1)
        diags.error(ap->loc, name + " has more than " + std::to_string(kMaxProgramsPerEvent) +
                                 " probes; the kernel runs at most " +
                                 std::to_string(kMaxProgramsPerEvent) + " programs on one event");
    }
  }
}

} // namespace tracelet::ast::passes
