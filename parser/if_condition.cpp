#include "parser/if_condition.h"

#include "parser/c_declarations.h"

#include <cctype>

namespace tracelet::parser {

namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Calls `on_word(word)` for each identifier of `text` outside numbers (10UL) and
// comments; what it returns replaces the word.
template <class F> std::string replace_words(const std::string& text, F on_word) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "//") == 0) break;
    if (text.compare(i, 2, "/*") == 0) {
      size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 2;
      out += ' ';
      continue;
    }
    size_t j = i;
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      while (j < text.size() && ident_char(text[j]))
        ++j;
      out += text.substr(i, j - i);
    } else if (ident_start(text[i])) {
      while (j < text.size() && ident_char(text[j]))
        ++j;
      out += on_word(text.substr(i, j - i));
    } else {
      out += text[j++];
    }
    i = j;
  }
  return out;
}

// `condition` with every `__has_include(<x.h>)`, `__has_include("x.h")` (and clang's
// `__has_include_next`, looked up the same way) replaced by 1 or 0, padded to keep columns.
std::optional<std::string>
replace_has_include(const std::string& condition, const Location& loc,
                    const std::function<bool(const std::string&, bool)>& has_include,
                    Diagnostics& diags) {
  std::string text;
  size_t i = 0;
  for (size_t at = condition.find("__has_include"); at != std::string::npos;
       at = condition.find("__has_include", i)) {
    size_t word_end = at + 13;
    if (condition.compare(word_end, 5, "_next") == 0) word_end += 5;
    if ((at > 0 && ident_char(condition[at - 1])) ||
        (word_end < condition.size() && ident_char(condition[word_end]))) {
      text += condition.substr(i, word_end - i);
      i = word_end;
      continue;
    }
    size_t open = condition.find_first_not_of(" \t", word_end);
    size_t name_at =
        open == std::string::npos ? open : condition.find_first_not_of(" \t", open + 1);
    char quote = name_at == std::string::npos ? '\0' : condition[name_at];
    char close_quote = quote == '<' ? '>' : quote == '"' ? '"' : '\0';
    size_t name_end = close_quote ? condition.find(close_quote, name_at + 1) : std::string::npos;
    size_t close =
        name_end == std::string::npos ? name_end : condition.find_first_not_of(" \t", name_end + 1);
    if (open == std::string::npos || condition[open] != '(' || name_end == std::string::npos ||
        name_end == name_at + 1 || close == std::string::npos || condition[close] != ')') {
      diags.error(loc, "__has_include in #if needs a header: __has_include(<x.h>) or "
                       "__has_include(\"x.h\")");
      return std::nullopt;
    }
    std::string header = condition.substr(name_at + 1, name_end - name_at - 1);
    text += condition.substr(i, at - i);
    text += has_include(header, quote == '"') ? "1" : "0";
    text.append(close - at, ' ');
    i = close + 1;
  }
  return text + condition.substr(i);
}

} // namespace

std::optional<bool>
evaluate_if_condition(const std::string& original, const Location& loc,
                      const std::set<std::string>& defined, const MacroTable& macros,
                      const std::function<bool(const std::string&, bool)>& has_include,
                      Diagnostics& diags) {
  auto replaced = replace_has_include(original, loc, has_include, diags);
  if (!replaced) return std::nullopt;
  const std::string& condition = *replaced;
  // `defined NAME`, `defined ( NAME )`: before macro expansion, so NAME is not expanded.
  std::string text;
  for (size_t i = 0; i < condition.size();) {
    size_t at = condition.find("defined", i);
    bool word = at != std::string::npos && (at == 0 || !ident_char(condition[at - 1])) &&
                (at + 7 >= condition.size() || !ident_char(condition[at + 7]));
    if (!word) {
      size_t stop = at == std::string::npos ? condition.size() : at + 7;
      text += condition.substr(i, stop - i);
      i = stop;
      continue;
    }
    text += condition.substr(i, at - i);
    size_t p = condition.find_first_not_of(" \t", at + 7);
    bool paren = p != std::string::npos && condition[p] == '(';
    if (paren) p = condition.find_first_not_of(" \t", p + 1);
    size_t q = p;
    while (q != std::string::npos && q < condition.size() && ident_char(condition[q]))
      ++q;
    if (p == std::string::npos || q == p || !ident_start(condition[p])) {
      diags.error(loc, "'defined' in #if needs a macro name");
      return std::nullopt;
    }
    std::string name = condition.substr(p, q - p);
    if (paren) {
      q = condition.find_first_not_of(" \t", q);
      if (q == std::string::npos || condition[q] != ')') {
        diags.error(loc, "missing ')' after 'defined(" + name + "' in #if");
        return std::nullopt;
      }
      ++q;
    }
    text += defined.count(name) ? "1" : "0";
    text.append(q - at - 1, ' '); // keeps the columns of what follows
    i = q;
  }
  bool in_comment = false;
  text = macros.expand(text, in_comment);
  text = replace_words(text, [](const std::string& word) {
    return std::string(word.size() - 1, ' ') + "0"; // an identifier left over is 0
  });
  if (text.find_first_not_of(" \t") == std::string::npos) {
    diags.error(loc, "#if with no expression");
    return std::nullopt;
  }
  auto value = evaluate_constant_expression(text, loc, {}, diags);
  if (!value) return std::nullopt;
  return *value != 0;
}

} // namespace tracelet::parser
