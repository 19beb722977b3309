// analyse(): runs the semantic passes in order. Later passes rely on earlier ones (type
// inference needs the expanded attach points to know `args`); each skips what an earlier one
// could not resolve, so that one run reports every error without cascades.
#include "ast/passes/semantic.h"

#include "ast/passes/passes.h"
#include "ast/passes/script_types.h"
#include "ast/stage_times.h"

namespace tracelet::ast {

bool analyse(Program& program, KernelInfo& kernel_info, Diagnostics& diags,
             const SemanticOptions& options) {
  int errors_before = diags.error_count();
  // -d times: each pass on its own line.
  auto timed = [](const char* stage, auto&& pass) {
    StageTimer timer(stage);
    return pass();
  };
  if (!timed("pass: positional params",
             [&] { return passes::substitute_positional_params(program, diags, options); }))
    return false;
  // The script's struct/union/enum/typedef definitions, ahead of the kernel's.
  passes::ScriptTypes kernel(kernel_info);
  timed("pass: script types", [&] { kernel.define(program, diags); });
  timed("pass: attach points", [&] { passes::resolve_attach_points(program, diags); });
  timed("pass: packet interfaces",
        [&] { passes::resolve_packet_interfaces(program, diags, options); });
  timed("pass: probe expansion", [&] { passes::expand_probes(program, kernel, diags); });
  timed("pass: program limits", [&] { passes::check_program_limits(program, diags); });
  if (!timed("pass: probe limits",
             [&] { return passes::check_probe_limits(program, diags, options); }))
    return false; // nothing to gain
  timed("pass: control flow", [&] { passes::check_control_flow(program, diags, options); });
  timed("pass: variables", [&] { passes::resolve_variables(program, diags); });
  timed("pass: types", [&] { passes::infer_types(program, kernel, diags, options); });
  timed("pass: packet reads", [&] { passes::check_packet_reads(program, diags); });
  if (diags.error_count() == errors_before)
    timed("pass: signs", [&] { passes::warn_about_signs(program, diags); });
  return diags.error_count() == errors_before;
}

} // namespace tracelet::ast
