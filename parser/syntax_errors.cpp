#include "parser/syntax_errors.h"

#include <algorithm>

namespace tracelet::parser {

namespace {

// A token as the user would write it: `}` rather than PROBE_END, no quotes around aliases.
std::string display(Parser::symbol_kind_type kind) {
  switch (kind) {
  case Parser::symbol_kind::S_PROBE_END:
    return "}";
  case Parser::symbol_kind::S_ENDPRED:
    return "/";
  default:
    break;
  }
  std::string name = Parser::symbol_name(kind);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
    name = name.substr(1, name.size() - 2);
  return name;
}

bool is_quoted(Parser::symbol_kind_type kind) {
  switch (kind) {
  case Parser::symbol_kind::S_ATTACH_POINT:
  case Parser::symbol_kind::S_IDENT:
  case Parser::symbol_kind::S_TYPE_NAME:
  case Parser::symbol_kind::S_VAR:
  case Parser::symbol_kind::S_MAP:
    return true;
  default:
    return false;
  }
}

using Kind = Parser::symbol_kind;

// Tokens that can start an expression: when all of these are expected, say "expression".
constexpr Parser::symbol_kind_type kExpressionStart[] = {
    Kind::S_INT,      Kind::S_STRING,      Kind::S_IDENT,     Kind::S_VAR,      Kind::S_MAP,
    Kind::S_PARAM,    Kind::S_PARAM_COUNT, Kind::S_TRUE,      Kind::S_FALSE,    Kind::S_SIZEOF,
    Kind::S_OFFSETOF, Kind::S_LPAREN,      Kind::S_MINUS,     Kind::S_BANG,     Kind::S_TILDE,
    Kind::S_STAR,     Kind::S_BAND,        Kind::S_INCREMENT, Kind::S_DECREMENT};
// Keywords that start a statement: when these are expected, say "statement".
constexpr Parser::symbol_kind_type kStatementStart[] = {
    Kind::S_IF,    Kind::S_WHILE,    Kind::S_FOR, Kind::S_UNROLL, Kind::S_RETURN,
    Kind::S_BREAK, Kind::S_CONTINUE, Kind::S_LET, Kind::S_LBRACE};

// Operators that could always continue an expression; listing them hides the useful hint
// (`;`, `)`, ...), so they are named only when nothing else is expected.
bool is_operator(Parser::symbol_kind_type k) {
  return (k >= Kind::S_QUESTION && k <= Kind::S_TILDE && k != Kind::S_DOTDOT) ||
         k == Kind::S_LBRACKET || k == Kind::S_LPAREN;
}

template <size_t N>
bool contains(const Parser::symbol_kind_type (&set)[N], Parser::symbol_kind_type k) {
  return std::find(std::begin(set), std::end(set), k) != std::end(set);
}

// The expected tokens, summarised for a reader: "statement or }" rather than 30 tokens.
std::vector<std::string> describe_expected(const std::vector<Parser::symbol_kind_type>& all) {
  auto has = [&](Parser::symbol_kind_type k) {
    return std::find(all.begin(), all.end(), k) != all.end();
  };
  std::vector<std::string> names;
  bool statement = has(Kind::S_IF);
  bool expression = !statement && has(Kind::S_INT) && has(Kind::S_IDENT);
  if (statement) names.push_back("statement");
  if (expression) names.push_back("expression");
  bool type = has(Kind::S_TYPE_NAME) && has(Kind::S_STRUCT);
  if (type) names.push_back("type");
  std::vector<std::string> operators;
  for (auto k : all) {
    if ((statement || expression) && contains(kExpressionStart, k)) continue;
    if (statement && contains(kStatementStart, k)) continue;
    if (type && (k == Kind::S_TYPE_NAME || k == Kind::S_STRUCT || k == Kind::S_UNION ||
                 k == Kind::S_ENUM || (k == Kind::S_IDENT && !expression)))
      continue;
    if (is_operator(k))
      operators.push_back(display(k));
    else
      names.push_back(display(k));
  }
  if (names.empty()) return operators;
  return names;
}

} // namespace

bool token_has_text(Parser::symbol_kind_type kind) {
  return is_quoted(kind);
}

std::string syntax_error_message(Parser::symbol_kind_type unexpected, const std::string& text,
                                 const std::vector<Parser::symbol_kind_type>& expected) {
  constexpr size_t kMaxListed = 4; // a longer list is no hint
  std::string message = "syntax error";
  if (unexpected != Kind::S_YYEMPTY) {
    message += ", unexpected " + display(unexpected);
    if (is_quoted(unexpected) && !text.empty()) message += " '" + text + "'";
  }
  std::vector<std::string> names = describe_expected(expected);
  if (!names.empty() && names.size() <= kMaxListed) {
    for (size_t i = 0; i < names.size(); ++i)
      message += (i == 0 ? ", expecting " : " or ") + names[i];
  }
  return message;
}

} // namespace tracelet::parser
