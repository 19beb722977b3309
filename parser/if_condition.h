// The condition of `#if` and `#elif`, as C evaluates it: `defined NAME`, `defined(NAME)` and
// `__has_include(<x.h>)` / `__has_include("x.h")` (asked of `has_include`) become 1 or 0, macros
// are expanded, every identifier left is 0, and the result is an integer constant expression
// (parser/c_declarations.h evaluates it).
#pragma once

#include "ast/diagnostics.h"
#include "parser/macros.h"

#include <functional>
#include <optional>
#include <set>
#include <string>

namespace tracelet::parser {

// nullopt after a located error (at `loc`, the start of `condition` in its line).
std::optional<bool> evaluate_if_condition(
    const std::string& condition, const Location& loc, const std::set<std::string>& defined,
    const MacroTable& macros,
    const std::function<bool(const std::string& header, bool quoted)>& has_include,
    Diagnostics& diags);

} // namespace tracelet::parser
