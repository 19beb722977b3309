// The individual passes run by analyse() (semantic.cpp), in this order. Internal to ast/passes.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "ast/kernel_info.h"
#include "ast/passes/semantic.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast::passes {

// positional_params.cpp: $N in attach points -> the argument's text; $N as the literal
// argument of lhist(), strncmp() and kstack()/ustack() -> an Integer; str($N + K) -> $N with
// offset K. Runs first. False when an attach point names a parameter that is not given: the
// attach point then means nothing, and the later passes would only report it again.
bool substitute_positional_params(Program& program, Diagnostics& diags,
                                  const SemanticOptions& options);

// attach_points.cpp: aliases -> canonical provider; fills target/func/freq/offset and
// need_expansion; validates the shape of each attach point; BEGIN/END at most once. An attach
// point with an error is left with an empty provider.
void resolve_attach_points(Program& program, Diagnostics& diags);

// packet_probes.cpp: xdp:IFACE[:native|generic] and tc:IFACE:ingress|egress: target = the
// interface (or "$N", replaced by resolve_packet_interfaces), func = the mode or direction.
void packet_attach_point(AttachPoint& ap, Diagnostics& diags);
// packet_probes.cpp: `xdp:$1`: the interface named by a positional parameter.
void resolve_packet_interfaces(Program& program, Diagnostics& diags,
                               const SemanticOptions& options);
// packet_probes.cpp: after type inference, reads through packet pointers other than `p->field`
// (`*p`, `p[i]`, `p + n`, str(p)) are errors: only field reads are bounds-checked.
void check_packet_reads(Program& program, Diagnostics& diags);

// probe_expansion.cpp: fills Probe::expanded, one entry per concrete attach point.
void expand_probes(Program& program, KernelInfo& kernel, Diagnostics& diags);

// program_limits.cpp: more probes on one tracepoint or kprobe than the kernel runs programs.
inline constexpr int kMaxProgramsPerEvent = 64; // the kernel's BPF_TRACE_MAX_PROGS
void check_program_limits(Program& program, Diagnostics& diags);

// function_probe_expansion.cpp: uprobe/uretprobe/kprobe/kretprobe/fentry/fexit attach points
// -> concrete ones (binary resolved, wildcards matched), each passed to `add`. An attach point
// whose function is nowhere (no symbol, a wildcard matching nothing) goes to `missing` with
// its message: the caller decides whether that is an error or, beside attach points of the
// same probe that resolve, a warning.
bool is_function_probe(const std::string& provider);
using MissingFunction = std::function<void(const Location&, std::string)>;
void expand_function_probe(const AttachPoint& ap, KernelInfo& kernel, Diagnostics& diags,
                           const std::function<void(AttachPointPtr)>& add,
                           const MissingFunction& missing);

// probe_limits.cpp: the expanded program stays within BPFTRACE_MAX_PROBES and
// BPFTRACE_MAX_BPF_PROGS; false (and a located error naming the count) when it does not.
bool check_probe_limits(Program& program, Diagnostics& diags, const SemanticOptions& options);

// control_flow.cpp: break/continue only inside loops; unroll counts 1..100.
void check_control_flow(Program& program, Diagnostics& diags, const SemanticOptions& options);

// variable_scopes.cpp: Variable::binding of every variable (block scopes for `let` and `for`,
// probe scope for plain assignments); undefined, redeclared and shadowing variables.
void resolve_variables(Program& program, Diagnostics& diags);

// type_inference.cpp: names, types, function signatures, map consistency.
void infer_types(Program& program, KernelInfo& kernel, Diagnostics& diags,
                 const SemanticOptions& options);

// sign_warnings.cpp: bpftrace's warnings for signed division and mixed-sign arithmetic or
// comparison, on the typed tree.
void warn_about_signs(Program& program, Diagnostics& diags);

// type_inference.cpp: a positional parameter used as a number: "42", "-1", "0x10", "010"
// (octal), " 5"; nullopt if it is not one.
std::optional<int64_t> parse_integer_param(const std::string& text);

// suggest.cpp: the candidate closest to `name` by edit distance, or "" if none is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

// kernel_field_renames.cpp: `field` of kernel record `record` is absent, but the kernel renamed
// it (meaning unchanged) and `record` has the new name: which, and since which release.
struct FieldRenamed {
  std::string new_name;
  std::string since;
};
std::optional<FieldRenamed> renamed_kernel_field(const RecordDef& record, const std::string& field);

} // namespace tracelet::ast::passes
