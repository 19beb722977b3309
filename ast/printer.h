// `-d ast`: a stable, indented dump of the tree, used by golden tests.
#pragma once

#include "ast/ast.h"

#include <ostream>

namespace tracelet::ast {

void print_ast(Program& program, std::ostream& out);

} // namespace tracelet::ast
