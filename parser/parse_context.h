// State shared by the Flex scanner and the Bison parser while one source text is parsed:
// the current token location, the brace depth that tells probe bodies from the top level,
// the program being built, and where errors go.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <memory>
#include <string>

namespace tracelet::parser {

class ParseContext {
public:
  ParseContext(std::shared_ptr<const std::string> file, Diagnostics& diags)
      : file(std::move(file)), diags(diags), program(std::make_unique<ast::Program>()) {
    loc.file = this->file;
    program->loc.file = this->file;
  }

  // Moves `loc` over the `len` characters just matched: the new token starts where the
  // previous one ended. Newlines inside the text (comments, strings) advance the line.
  void step(const char* text, size_t len) {
    prev_line_ = loc.end_line;
    prev_col_ = loc.end_col;
    loc.line = loc.end_line;
    loc.col = loc.end_col;
    advance(text, len);
  }

  // After `yyless(n)`: the current token is only its first `n` characters.
  void shrink(const char* text, size_t n) {
    loc.end_line = prev_line_;
    loc.end_col = prev_col_;
    advance(text, n);
  }

  // An empty location at the end of the text scanned so far (for end of file).
  Location here() const {
    Location l = loc;
    l.line = l.end_line;
    l.col = l.end_col;
    return l;
  }

  void error(const Location& at, std::string message) { diags.error(at, std::move(message)); }

  std::shared_ptr<const std::string> file;
  Diagnostics& diags;
  Location loc; // the token being scanned
  std::unique_ptr<ast::Program> program;

  // Scanner state.
  int brace_depth = 0;   // 0 at the top level, >0 inside a probe body
  std::string cdef_text; // a C definition being collected
  Location cdef_start;
  Location comment_start; // the `/*` of the block comment being skipped
  int cdef_depth = 0;
  bool cdef_typedef = false; // a `typedef ...;`: ends at the `;` outside braces

private:
  void advance(const char* text, size_t len) {
    for (size_t i = 0; i < len; ++i) {
      if (text[i] == '\n') {
        ++loc.end_line;
        loc.end_col = 1;
      } else {
        ++loc.end_col;
      }
    }
  }
  int prev_line_ = 1;
  int prev_col_ = 1;
};

} // namespace tracelet::parser
