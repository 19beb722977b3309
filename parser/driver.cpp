#include "parser/driver.h"

#include "lexer/scanner.h"
#include "parser/c_declarations.h"
#include "parser/nesting.h"
#include "parser/parse_context.h"
#include "parser/parser.tab.hh"
#include "parser/preprocessor.h"

namespace tracelet::parser {

namespace {

// The C definitions of a header (its text after preprocessing): scanned as a script's are.
// Anything else (a probe) is a located error.
std::vector<ast::CDefinition> header_definitions(const HeaderText& header, Diagnostics& diags) {
  ParseContext ctx(header.file, diags);
  {
    lexer::Scanner scanner(header.text, ctx);
    Parser parser(scanner.handle(), ctx);
    parser.parse();
  }
  if (!ctx.program->probes.empty())
    diags.error(ctx.program->probes.front()->loc,
                "a header can only hold C definitions (#define, struct, union, enum, typedef), "
                "not probes");
  auto defs = std::move(ctx.program->c_definitions);
  destroy_iteratively(std::move(ctx.program));
  return defs;
}

} // namespace

std::unique_ptr<ast::Program> parse(const std::string& filename, const std::string& text,
                                    Diagnostics& diags) {
  // bpftrace names a one-liner "stdin" in its messages.
  auto file = std::make_shared<const std::string>(filename == "-e" ? "stdin" : filename);
  diags.add_source(*file, text);
  int errors_before = diags.error_count();

  Preprocessed pre = preprocess(text, file, diags);
  ParseContext ctx(file, diags);
  {
    lexer::Scanner scanner(pre.text, ctx);
    Parser parser(scanner.handle(), ctx);
    parser.parse();
  }
  // Deep trees are checked (and freed) without recursion: the passes after this recurse.
  if (diags.error_count() > errors_before || !check_nesting(*ctx.program, diags)) {
    destroy_iteratively(std::move(ctx.program));
    return nullptr;
  }
  // The headers' definitions come first: the script's may use them.
  std::vector<ast::CDefinition> from_headers;
  for (const auto& header : pre.headers)
    for (auto& def : header_definitions(header, diags))
      from_headers.push_back(std::move(def));
  auto& defs = ctx.program->c_definitions;
  defs.insert(defs.begin(), std::make_move_iterator(from_headers.begin()),
              std::make_move_iterator(from_headers.end()));
  if (diags.error_count() > errors_before) return nullptr;
  std::map<std::string, int64_t> enumerators; // earlier definitions' values, for later ones
  for (auto& def : ctx.program->c_definitions)
    parse_c_definition(def, enumerators, diags);
  if (diags.error_count() > errors_before) return nullptr;

  if (ctx.program->probes.empty()) {
    // Nothing would ever run: say so where a probe was expected, as a syntax error would.
    diags.error(ctx.here(), ctx.program->c_definitions.empty() && pre.defines.empty()
                                ? "the program has no probes: it is empty or only comments"
                                : "the program has no probes, only definitions");
    return nullptr;
  }

  auto program = std::move(ctx.program);
  program->includes = std::move(pre.includes);
  // `#define`s come first: C definitions may use them.
  program->c_definitions.insert(program->c_definitions.begin(),
                                std::make_move_iterator(pre.defines.begin()),
                                std::make_move_iterator(pre.defines.end()));
  program->loc.line = program->loc.col = 1;
  program->loc.end_line = ctx.loc.end_line;
  program->loc.end_col = ctx.loc.end_col;
  return program;
}

} // namespace tracelet::parser
