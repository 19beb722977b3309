// Text -> AST. The one entry point of lexer/ and parser/.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <memory>
#include <string>

namespace tracelet::parser {

// Parses a whole program. `filename` names the source in messages ("-e" for a one-liner is
// shown as "stdin" like bpftrace). A leading "#!" line is skipped. Registers `text` with `diags`
// so that errors can quote it. Returns nullptr when syntax errors were reported (all of them
// that error recovery can find, not only the first).
std::unique_ptr<ast::Program> parse(const std::string& filename, const std::string& text,
                                    Diagnostics& diags);

} // namespace tracelet::parser
