// bpftrace's limits on the size of a program after wildcard expansion: BPFTRACE_MAX_PROBES
// attach points and BPFTRACE_MAX_BPF_PROGS generated programs (512 each by default). tracelet
// generates one BPF program per concrete attach point, so both limits count the same thing;
// the lower one applies. Checked right after expansion, so that `kprobe:* { ... }` stops at once
// instead of compiling tens of thousands of programs.
#include "ast/passes/passes.h"

namespace tracelet::ast::passes {

bool check_probe_limits(Program& program, Diagnostics& diags, const SemanticOptions& options) {
  uint64_t total = 0;
  const Probe* largest = nullptr;
  for (const auto& probe : program.probes) {
    total += probe->expanded.size();
    if (!largest || probe->expanded.size() > largest->expanded.size()) largest = probe.get();
  }
  bool progs_lower = options.max_bpf_progs < options.max_probes;
  uint64_t limit = progs_lower ? options.max_bpf_progs : options.max_probes;
  if (total <= limit || !largest) return true;
  const char* variable = progs_lower ? "BPFTRACE_MAX_BPF_PROGS" : "BPFTRACE_MAX_PROBES";
  // Point at the wildcard of the probe that expanded most: that is what to narrow.
  const AttachPoint* culprit =
      largest->attach_points.empty() ? nullptr : largest->attach_points[0].get();
  for (const auto& ap : largest->attach_points)
    if (ap->need_expansion) culprit = ap.get();
  std::string what = culprit ? "'" + culprit->raw + "' and the other attach points expand"
                             : "the attach points expand";
  if (culprit && program.probes.size() == 1 && largest->attach_points.size() == 1)
    what = "'" + culprit->raw + "' expands";
  diags.error(culprit ? culprit->loc : largest->loc,
              what + " to " + std::to_string(total) + " probes, more than the limit of " +
                  std::to_string(limit) + " (" + variable +
                  "); narrow the wildcard, or raise the limit with " + variable + "=" +
                  std::to_string(total) + " (many probes slow the system down)");
  return false;
}

} // namespace tracelet::ast::passes
