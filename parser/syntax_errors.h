// Wording of syntax errors: "syntax error, unexpected X, expecting A or B", with the expected
// tokens summarised for a reader ("statement", "expression", "type") instead of listed one by
// one, and operators left out unless nothing else fits.
#pragma once

#include "parser/parser.tab.hh"

#include <string>
#include <vector>

namespace tracelet::parser {

// Whether the token's text is worth quoting after its kind ("unexpected variable '$y'").
bool token_has_text(Parser::symbol_kind_type kind);

// `unexpected` is S_YYEMPTY when there is no lookahead; `text` is its spelling (may be empty).
std::string syntax_error_message(Parser::symbol_kind_type unexpected, const std::string& text,
                                 const std::vector<Parser::symbol_kind_type>& expected);

} // namespace tracelet::parser
