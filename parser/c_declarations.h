// Reads the C definitions of a script (struct, union, enum, typedef) with our own small
// recursive-descent grammar: no clang. Only declarations, as bpftrace scripts write them:
// nested and anonymous members, arrays of any rank, bitfields, pointers (function pointers
// too), qualifiers and __attribute__((...)) skipped, integer constant expressions in array
// sizes, bitfield widths and enumerator values.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tracelet::parser {

// Parses `def.text` (which starts at `def.loc`) into `def.declarations`. Errors go to `diags`
// located in the script. `constants`: the enumerators defined so far (earlier definitions);
// this definition's enumerators are added.
void parse_c_definition(ast::CDefinition& def, std::map<std::string, int64_t>& constants,
                        Diagnostics& diags);

// The value of a C integer constant expression (the `#if` of the preprocessor, identifiers
// already replaced): `text` starts at `loc`; identifiers must be in `constants`. nullopt after
// reporting a located error.
std::optional<int64_t> evaluate_constant_expression(const std::string& text, const Location& loc,
                                                    std::map<std::string, int64_t> constants,
                                                    Diagnostics& diags);

} // namespace tracelet::parser
