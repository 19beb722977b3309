// Values known at compile time from the program text.
#pragma once

#include "ast/ast.h"

#include <cstdint>
#include <optional>

namespace tracelet::ast {

// The value of an integer literal, possibly negated (`5`, `-5`); nullopt for anything else.
// lhist() bounds, print()'s top and div, buf() lengths.
std::optional<int64_t> integer_literal(const Expr& e);

} // namespace tracelet::ast
