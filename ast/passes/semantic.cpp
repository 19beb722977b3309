// analyse(): runs the semantic passes in order. Later passes rely on earlier ones (type
// inference needs the expanded attach points to know `args`); each skips what an earlier one
// could not resolve, so that one run reports every error without cascades.
#include "ast/passes/semantic.h"

#include "ast/passes/passes.h"
#include "ast/passes/script_types.h"

namespace tracelet::ast {

bool analyse(Program& program, KernelInfo& kernel_info, Diagnostics& diags,
             const SemanticOptions& options) {
  int errors_before = diags.error_count();
  if (!passes::substitute_positional_params(program, diags, options)) return false;
  // The script's struct/union/enum/typedef definitions, ahead of the kernel's.
  passes::ScriptTypes kernel(kernel_info);
  kernel.define(program, diags);
  passes::resolve_attach_points(program, diags);
  passes::resolve_packet_interfaces(program, diags, options);
  passes::expand_probes(program, kernel, diags);
  passes::check_program_limits(program, diags);
  if (!passes::check_probe_limits(program, diags, options)) return false; // nothing to gain
  passes::check_control_flow(program, diags, options);
  passes::resolve_variables(program, diags);
  passes::infer_types(program, kernel, diags, options);
  passes::check_packet_reads(program, diags);
  if (diags.error_count() == errors_before) passes::warn_about_signs(program, diags);
  return diags.error_count() == errors_before;
}

} // namespace tracelet::ast
