// The nesting limit of programs. The passes and codegen walk the tree recursively; a program
// nested deeper than kMaxNestingDepth (a chain of 100k `+`, `!`, `(` or `if`) would overflow
// the stack, so the parser refuses it with a located error. Both functions are iterative.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <memory>

namespace tracelet::parser {

// Levels of the tree: every expression, statement and block is one. 2000 keeps the deepest
// recursion of the passes and codegen at a few MB of an 8 MB stack.
inline constexpr int kMaxNestingDepth = 2000;

// Reports "nested too deeply (limit N)" at the first node below the limit in each probe;
// returns false if it did.
bool check_nesting(ast::Program& program, Diagnostics& diags, int limit = kMaxNestingDepth);

// Destroys a tree of any depth without recursion (a too-deep tree must not overflow the
// stack while it is freed).
void destroy_iteratively(std::unique_ptr<ast::Program> program);

} // namespace tracelet::parser
