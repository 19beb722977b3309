// analyse(): runs the semantic passes in order. Later passes rely on earlier ones (type
// inference needs the expanded attach points to know `args`); each skips what an earlier one
// could not resolve, so that one run reports every error without cascades.
#include "ast/passes/semantic.h"

#include "ast/passes/passes.h"

namespace tracelet::ast {

bool analyse(Program& program, KernelInfo& kernel, Diagnostics& diags,
             const SemanticOptions& options) {
  int errors_before = diags.error_count();
  passes::resolve_attach_points(program, diags);
  passes::expand_probes(program, kernel, diags);
  passes::check_program_limits(program, diags);
  passes::check_control_flow(program, diags, options);
  passes::resolve_variables(program, diags);
  passes::infer_types(program, kernel, diags, options);
  if (diags.error_count() == errors_before) passes::warn_about_signs(program, diags);
  return diags.error_count() == errors_before;
}

} // namespace tracelet::ast
