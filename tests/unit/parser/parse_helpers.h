// Helpers shared by the parser tests: parse a text, dump its AST, collect the messages.
#pragma once

#include "ast/printer.h"
#include "parser/driver.h"

#include <fstream>
#include <sstream>
#include <string>

namespace tracelet::testing {

struct ParseResult {
  std::unique_ptr<ast::Program> program;
  Diagnostics diags;
  std::string messages() const {
    std::ostringstream out;
    diags.print(out);
    return out.str();
  }
};

inline ParseResult parse_text(const std::string& text, const std::string& filename = "-e") {
  ParseResult r;
  r.program = parser::parse(filename, text, r.diags);
  return r;
}

inline std::string dump(ast::Program& program) {
  std::ostringstream out;
  ast::print_ast(program, out);
  return out.str();
}

// The AST dump of `text`, or the error messages when it does not parse.
inline std::string dump_text(const std::string& text) {
  auto r = parse_text(text);
  return r.program ? dump(*r.program) : r.messages();
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace tracelet::testing
