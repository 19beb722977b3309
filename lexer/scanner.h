// A Flex scanner over one source text (defined in lexer/lexer.l). Owns the scanner and its
// buffer; the parser pulls tokens through tracelet_lex().
#pragma once

#include "parser/parse_context.h"

#include <string>

namespace tracelet::lexer {

class Scanner {
public:
  Scanner(const std::string& text, parser::ParseContext& ctx);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  void* handle() const { return scanner_; } // the yyscan_t handed to tracelet_lex()

private:
  void* scanner_ = nullptr;
  void* buffer_ = nullptr;
};

} // namespace tracelet::lexer
