// The names of a map's key expressions, for the label names of --metrics (runtime/output/
// prometheus.h): `@[comm, pid]` -> {"comm", "pid"}, `@[args.filename]` -> {"filename"}.
#pragma once

#include "ast/ast.h"

#include <string>
#include <vector>

namespace tracelet::codegen {

// One name per key expression of `m`, "" where an expression has no natural name (a literal,
// an arithmetic expression). Builtins give their name, fields the field as written, variables
// their name without '$'; casts, dereferences and value functions (str, ksym, ntop, ...) the
// name of their first argument.
std::vector<std::string> key_expression_names(const ast::Map& m);

} // namespace tracelet::codegen
