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

// attach_points.cpp: aliases -> canonical provider; fills target/func/freq/offset and
// need_expansion; validates the shape of each attach point; BEGIN/END at most once. An attach
// point with an error is left with an empty provider.
void resolve_attach_points(Program& program, Diagnostics& diags);

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
