#include "parser/c_declarations.h"

#include <cctype>
#include <set>

namespace tracelet::parser {

using ast::CDeclaration;
using ast::CDeclarator;
using ast::CEnumBody;
using ast::CRecordBody;
using ast::CTypeName;

namespace {

enum class Tok { End, Ident, Int, Punct };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  uint64_t value = 0;
  Location loc;
};

// Splits the text of a definition into tokens, each located in the script.
class Tokenizer {
public:
  Tokenizer(const std::string& text, const Location& start, Diagnostics& diags)
      : text_(text), diags_(diags), line_(start.line), col_(start.col), file_(start.file) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      skip_space_and_comments();
      Token t;
      t.loc = here();
      if (pos_ >= text_.size()) {
        out.push_back(t);
        return out;
      }
      char c = text_[pos_];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        t.kind = Tok::Ident;
        while (pos_ < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
          t.text += take();
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        t.kind = Tok::Int;
        while (pos_ < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
          t.text += take();
        std::string digits = t.text;
        while (!digits.empty() && (digits.back() == 'u' || digits.back() == 'U' ||
                                   digits.back() == 'l' || digits.back() == 'L'))
          digits.pop_back();
        size_t used = 0;
        try {
          t.value = std::stoull(digits, &used, 0);
        } catch (const std::exception&) {
          used = 0;
        }
        if (digits.empty() || used != digits.size())
          error(t, "invalid integer '" + t.text + "' in C definition");
      } else {
        t.kind = Tok::Punct;
        static const char* two[] = {"<<", ">>", "...", "==", "!=", "<=", ">=", "&&", "||", nullptr};
        for (const char** p = two; *p; ++p)
          if (text_.compare(pos_, std::char_traits<char>::length(*p), *p) == 0) {
            for (size_t i = 0; (*p)[i]; ++i)
              t.text += take();
            break;
          }
        if (t.text.empty()) t.text = take();
      }
      t.loc.end_line = line_;
      t.loc.end_col = col_;
      out.push_back(std::move(t));
    }
  }

private:
  Location here() const {
    Location l;
    l.file = file_;
    l.line = l.end_line = line_;
    l.col = l.end_col = col_;
    return l;
  }
  char take() {
    char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    return c;
  }
  void skip_space_and_comments() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_]))) {
        take();
      } else if (text_.compare(pos_, 2, "//") == 0) {
        while (pos_ < text_.size() && text_[pos_] != '\n')
          take();
      } else if (text_.compare(pos_, 2, "/*") == 0) {
        take();
        take();
        while (pos_ < text_.size() && text_.compare(pos_, 2, "*/") != 0)
          take();
        if (pos_ < text_.size()) {
          take();
          take();
        }
      } else {
        return;
      }
    }
  }
  void error(const Token& t, const std::string& message) {
    Location l = t.loc;
    l.end_line = line_;
    l.end_col = col_;
    diags_.error(l, message);
  }

  const std::string& text_;
  Diagnostics& diags_;
  size_t pos_ = 0;
  int line_, col_;
  std::shared_ptr<const std::string> file_;
};

struct ParseError {};

// The words that make up a C base type ("unsigned long long int").
const std::set<std::string> kBaseWords = {"unsigned", "signed", "short", "long",   "int", "char",
                                          "_Bool",    "bool",   "float", "double", "void"};
const std::set<std::string> kQualifiers = {"const",        "volatile", "restrict", "__restrict",
                                           "__restrict__", "static",   "extern",   "register",
                                           "__volatile__", "__const",  "inline",   "__extension__"};

class DeclParser {
public:
  DeclParser(std::vector<Token> tokens, std::map<std::string, int64_t>& constants,
             Diagnostics& diags)
      : toks_(std::move(tokens)), constants_(constants), diags_(diags) {}

  // One top-level definition; a `;` at the end is optional.
  std::vector<CDeclaration> definition() {
    std::vector<CDeclaration> out;
    try {
      out.push_back(declaration(/*top=*/true));
      if (peek().kind != Tok::End)
        fail(peek(), "unexpected '" + peek().text + "' after the C definition");
    } catch (const ParseError&) {
      out.clear();
    }
    return out;
  }

  // A whole integer constant expression (`#if`); nullopt after reporting an error.
  std::optional<int64_t> expression() {
    try {
      int64_t v = conditional_expression();
      if (peek().kind != Tok::End)
        fail(peek(), "unexpected '" + peek().text + "' after the constant expression");
      return v;
    } catch (const ParseError&) {
      return std::nullopt;
    }
  }

private:
  const Token& peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  const Token& next() {
    const Token& t = peek();
    last_ = t.loc;
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  // From `start` to the end of the last token read.
  Location to_here(const Location& start) const { return Location::span(start, last_); }
  bool is(const char* text, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind != Tok::End && t.kind != Tok::Int && t.text == text;
  }
  bool accept(const char* text) {
    if (!is(text)) return false;
    next();
    return true;
  }
  [[noreturn]] void fail(const Token& at, const std::string& message) {
    diags_.error(at.loc, message);
    throw ParseError{};
  }
  std::string describe(const Token& t) const {
    return t.kind == Tok::End ? "end of definition" : "'" + t.text + "'";
  }
  const Token& expect(const char* text, const std::string& what) {
    if (!is(text)) fail(peek(), "expected " + what + ", found " + describe(peek()));
    return next();
  }

  void skip_qualifiers() {
    while (true) {
      if (peek().kind == Tok::Ident && kQualifiers.count(peek().text)) {
        next();
      } else if (is("__attribute__") || is("__attribute") || is("__aligned")) {
        next();
        skip_balanced_parens();
      } else {
        return;
      }
    }
  }
  void skip_balanced_parens() {
    const Token& open = expect("(", "'('");
    int depth = 1;
    while (depth > 0) {
      if (peek().kind == Tok::End) fail(open, "unbalanced '(' in C definition");
      const Token& t = next();
      if (t.kind == Tok::Punct && t.text == "(") ++depth;
      if (t.kind == Tok::Punct && t.text == ")") --depth;
    }
  }

  // `type declarators ;` (a member, or the definition itself when `top`).
  CDeclaration declaration(bool top) {
    CDeclaration d;
    d.loc = peek().loc;
    skip_qualifiers();
    if (top && accept("typedef")) d.is_typedef = true;
    d.type = type_name();
    if (!is(";") && !is("}") && peek().kind != Tok::End) {
      d.declarators.push_back(declarator(d.is_typedef || !top));
      while (accept(","))
        d.declarators.push_back(declarator(true));
    }
    if (d.is_typedef && d.declarators.empty())
      fail(peek(), "expected the typedef's name, found " + describe(peek()));
    if (!top && d.declarators.empty() && !d.type.record && !d.type.enumeration)
      fail(peek(), "expected a member name, found " + describe(peek()));
    // The `;` may be left out after the last member and after the definition.
    if (!accept(";") && !is("}") && peek().kind != Tok::End)
      fail(peek(), "expected ';', found " + describe(peek()));
    d.loc = to_here(d.loc);
    return d;
  }

  CTypeName type_name() {
    skip_qualifiers();
    CTypeName t;
    t.loc = peek().loc;
    if (is("struct") || is("union")) {
      bool is_union = next().text == "union";
      std::string tag;
      skip_qualifiers();
      if (peek().kind == Tok::Ident) tag = next().text;
      t.name = tag.empty() ? "" : std::string(is_union ? "union " : "struct ") + tag;
      if (is("{")) {
        t.record = std::make_shared<CRecordBody>();
        t.record->is_union = is_union;
        t.record->name = t.name;
        t.record->loc = t.loc;
        next();
        while (!is("}")) {
          if (peek().kind == Tok::End) fail(peek(), "expected '}' to end " + kind_name(t));
          t.record->members.push_back(declaration(false));
        }
        next();
      } else if (tag.empty()) {
        fail(peek(), "expected a name or '{' after '" + std::string(is_union ? "union" : "struct") +
                         "', found " + describe(peek()));
      }
    } else if (is("enum")) {
      next();
      std::string tag;
      if (peek().kind == Tok::Ident) tag = next().text;
      t.name = tag.empty() ? "" : "enum " + tag;
      if (is("{")) {
        next();
        t.enumeration = std::make_shared<CEnumBody>();
        t.enumeration->name = t.name;
        t.enumeration->loc = t.loc;
        enumerators(*t.enumeration);
      } else if (tag.empty()) {
        fail(peek(), "expected a name or '{' after 'enum', found " + describe(peek()));
      }
    } else if (peek().kind == Tok::Ident && kBaseWords.count(peek().text)) {
      t.name = base_type();
    } else if (peek().kind == Tok::Ident) {
      t.name = next().text; // a typedef name: the script's, tracelet's or the kernel's
    } else {
      fail(peek(), "expected a type, found " + describe(peek()));
    }
    t.loc = to_here(t.loc);
    skip_qualifiers();
    return t;
  }

  static std::string kind_name(const CTypeName& t) {
    if (!t.name.empty()) return t.name;
    return t.record && t.record->is_union ? "the union" : "the struct";
  }

  // "unsigned long long int" -> "unsigned long"; the names script_types.cpp knows.
  std::string base_type() {
    int longs = 0;
    bool is_unsigned = false, is_signed = false, is_short = false, is_char = false;
    bool is_int = false;
    std::string other; // _Bool, float, double, void
    const Token& first = peek();
    while (peek().kind == Tok::Ident &&
           (kBaseWords.count(peek().text) || kQualifiers.count(peek().text))) {
      std::string w = next().text;
      if (w == "unsigned")
        is_unsigned = true;
      else if (w == "signed")
        is_signed = true;
      else if (w == "short")
        is_short = true;
      else if (w == "long")
        ++longs;
      else if (w == "char")
        is_char = true;
      else if (w == "int")
        is_int = true;
      else if (kQualifiers.count(w))
        continue;
      else
        other = w == "_Bool" ? "bool" : w;
    }
    (void)is_int;
    (void)is_signed;
    if (!other.empty()) {
      if (is_unsigned || is_short || longs || is_char)
        fail(first, "invalid combination of type words before '" + other + "'");
      return other == "double" && longs ? "long double" : other;
    }
    std::string u = is_unsigned ? "unsigned " : "";
    if (is_char) return u + "char";
    if (is_short) return u + "short";
    if (longs) return u + "long";
    return u + "int";
  }

  void enumerators(CEnumBody& e) {
    int64_t value = 0;
    while (!is("}")) {
      const Token& name = peek();
      if (name.kind != Tok::Ident)
        fail(name, "expected an enumerator name, found " + describe(name));
      next();
      if (accept("=")) value = conditional_expression();
      e.values.emplace_back(name.text, value);
      constants_[name.text] = value;
      ++value;
      if (!accept(",")) break;
    }
    expect("}", "',' or '}' in the enum");
  }

  CDeclarator declarator(bool needs_name) {
    CDeclarator d;
    d.loc = peek().loc;
    while (accept("*")) {
      ++d.pointers;
      skip_qualifiers();
    }
    if (is("(")) {
      // A function pointer `(*name)(params)`, held as a pointer.
      next();
      while (accept("*"))
        ++d.pointers;
      if (peek().kind != Tok::Ident) fail(peek(), "expected a name, found " + describe(peek()));
      d.name = next().text;
      expect(")", "')'");
      if (is("(")) skip_balanced_parens();
      if (d.pointers == 0) d.pointers = 1;
    } else if (peek().kind == Tok::Ident) {
      d.name = next().text;
    } else if (needs_name && !is(":")) { // `int : 3;` is unnamed padding
      fail(peek(), "expected a name, found " + describe(peek()));
    }
    while (accept("[")) {
      if (accept("]")) {
        d.dims.push_back(0); // flexible array member
        continue;
      }
      int64_t n = conditional_expression();
      if (n < 0) fail(peek(), "array size is negative");
      d.dims.push_back(static_cast<uint64_t>(n));
      expect("]", "']'");
    }
    if (is("(")) skip_balanced_parens(); // a function declarator: not a value
    skip_qualifiers();
    if (accept(":")) {
      const Token& at = peek();
      int64_t bits = constant_expression();
      if (bits < 0 || bits > 64) fail(at, "bitfield width must be 0 to 64");
      d.bits = static_cast<uint32_t>(bits);
    }
    d.loc = to_here(d.loc);
    return d;
  }

  // Integer constant expressions: literals, enumerators, ( ), unary - + ~ !, the binary
  // operators of C (* / % + - << >> < > <= >= == != & ^ | && ||) and `c ? a : b`.
  int64_t conditional_expression() {
    int64_t c = constant_expression();
    if (!accept("?")) return c;
    int64_t a = conditional_expression();
    expect(":", "':'");
    int64_t b = conditional_expression();
    return c ? a : b;
  }
  int64_t constant_expression(int min_precedence = 0) {
    int64_t lhs = unary_expression();
    while (true) {
      int prec = precedence(peek());
      if (prec < 0 || prec < min_precedence) return lhs;
      const Token& op = next();
      int64_t rhs = constant_expression(prec + 1);
      lhs = apply(op, lhs, rhs);
    }
  }
  static int precedence(const Token& t) {
    if (t.kind != Tok::Punct) return -1;
    static const std::map<std::string, int> table = {
        {"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4},  {"&", 5},  {"==", 6},
        {"!=", 6}, {"<", 7},  {">", 7}, {"<=", 7}, {">=", 7}, {"<<", 8},
        {">>", 8}, {"+", 9},  {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10}};
    auto it = table.find(t.text);
    return it == table.end() ? -1 : it->second;
  }
  int64_t apply(const Token& op, int64_t a, int64_t b) {
    const std::string& o = op.text;
    if ((o == "/" || o == "%") && b == 0) fail(op, "division by zero in a constant expression");
    if (o == "||") return a || b;
    if (o == "&&") return a && b;
    if (o == "==") return a == b;
    if (o == "!=") return a != b;
    if (o == "<") return a < b;
    if (o == ">") return a > b;
    if (o == "<=") return a <= b;
    if (o == ">=") return a >= b;
    if (o == "|") return a | b;
    if (o == "^") return a ^ b;
    if (o == "&") return a & b;
    if (o == "<<") return static_cast<int64_t>(static_cast<uint64_t>(a) << (b & 63));
    if (o == ">>") return a >> (b & 63);
    if (o == "+") return a + b;
    if (o == "-") return a - b;
    if (o == "*") return a * b;
    if (o == "/") return a / b;
    return a % b;
  }
  int64_t unary_expression() {
    const Token& t = peek();
    if (accept("-")) return -unary_expression();
    if (accept("+")) return unary_expression();
    if (accept("~")) return ~unary_expression();
    if (accept("!")) return !unary_expression();
    if (accept("(")) {
      int64_t v = conditional_expression();
      expect(")", "')'");
      return v;
    }
    if (t.kind == Tok::Int) {
      next();
      return static_cast<int64_t>(t.value);
    }
    if (t.kind == Tok::Ident) {
      auto it = constants_.find(t.text);
      if (it == constants_.end()) fail(t, "unknown constant '" + t.text + "' in C definition");
      next();
      return it->second;
    }
    fail(t, "expected a constant, found " + describe(t));
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  Location last_;
  std::map<std::string, int64_t>& constants_;
  Diagnostics& diags_;
};

} // namespace

void parse_c_definition(ast::CDefinition& def, std::map<std::string, int64_t>& constants,
                        Diagnostics& diags) {
  Tokenizer tokenizer(def.text, def.loc, diags);
  int errors_before = diags.error_count();
  auto tokens = tokenizer.run();
  if (diags.error_count() > errors_before) return;
  DeclParser parser(std::move(tokens), constants, diags);
  def.declarations = parser.definition();
}

std::optional<int64_t> evaluate_constant_expression(const std::string& text, const Location& loc,
                                                    std::map<std::string, int64_t> constants,
                                                    Diagnostics& diags) {
  Tokenizer tokenizer(text, loc, diags);
  int errors_before = diags.error_count();
  auto tokens = tokenizer.run();
  if (diags.error_count() > errors_before) return std::nullopt;
  return DeclParser(std::move(tokens), constants, diags).expression();
}

} // namespace tracelet::parser
