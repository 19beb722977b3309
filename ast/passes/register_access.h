// reg("name") and sarg0..sargN: the probed task's registers (x86-64 struct pt_regs) and the
// integer arguments it passed on the stack, in probes whose context holds pt_regs.
#pragma once

#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

// sarg0, sarg1, ...: a stack argument's builtin name.
bool is_stack_arg_name(const std::string& name);
// Types reg("name") (a uint64) or reports why it cannot be read in this probe. A non-literal
// argument must be typed (walked) by the caller first.
void type_reg_call(Call& n, const ProbeContext& probe, Diagnostics& diags);
// Types sargN (a uint64) or reports why it cannot be read in this probe.
void type_stack_arg(Builtin& n, const ProbeContext& probe, Diagnostics& diags);

} // namespace tracelet::ast::passes
