#include "parser/macros.h"

#include <algorithm>
#include <cctype>

namespace tracelet::parser {

namespace {

constexpr int kMaxDepth = 32; // nested expansions, as a guard against mutual recursion

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Copies a string literal starting at text[i] == '"'; returns the index after it.
size_t skip_string(const std::string& text, size_t i, std::string& out) {
  out += text[i++];
  while (i < text.size()) {
    char c = text[i];
    out += c;
    ++i;
    if (c == '\\' && i < text.size()) {
      out += text[i++];
    } else if (c == '"') {
      break;
    }
  }
  return i;
}

// The arguments of an invocation whose '(' is at text[open]: split on top-level commas.
// Returns the index after the closing ')', or npos if it is not on this line.
size_t read_arguments(const std::string& text, size_t open, std::vector<std::string>& args) {
  int depth = 0;
  std::string cur;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      i = skip_string(text, i, cur) - 1;
      continue;
    }
    if (c == '(') {
      if (depth++ > 0) cur += c;
    } else if (c == ')') {
      if (--depth == 0) {
        args.push_back(trim(cur));
        return i + 1;
      }
      cur += c;
    } else if (c == ',' && depth == 1) {
      args.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return std::string::npos;
}

// `body` with each whole-word parameter replaced by its argument.
std::string substitute(const std::string& body, const std::vector<std::string>& params,
                       const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < body.size();) {
    if (body[i] == '"') {
      i = skip_string(body, i, out);
      continue;
    }
    if (!ident_start(body[i])) {
      out += body[i++];
      continue;
    }
    size_t j = i;
    while (j < body.size() && ident_char(body[j]))
      ++j;
    std::string word = body.substr(i, j - i);
    auto it = std::find(params.begin(), params.end(), word);
    out += it == params.end() ? word : args[static_cast<size_t>(it - params.begin())];
    i = j;
  }
  return out;
}

} // namespace

std::string MacroTable::define(const std::string& definition) {
  std::string text = definition;
  // Continuation lines: drop the backslash-newline pairs.
  for (size_t p; (p = text.find("\\\n")) != std::string::npos;)
    text.replace(p, 2, " ");
  size_t i = text.find_first_not_of(" \t");
  if (i == std::string::npos || !ident_start(text[i])) return "#define needs a macro name";
  size_t j = i;
  while (j < text.size() && ident_char(text[j]))
    ++j;
  std::string name = text.substr(i, j - i);
  Macro m;
  if (j < text.size() && text[j] == '(') { // function-like: no space before '('
    size_t close = text.find(')', j);
    if (close == std::string::npos) return "#define " + name + "(: missing ')'";
    std::vector<std::string> params;
    std::string list = text.substr(j + 1, close - j - 1);
    size_t start = 0;
    while (!trim(list).empty()) {
      size_t comma = list.find(',', start);
      std::string p =
          trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (p.empty() || !std::all_of(p.begin(), p.end(), ident_char) || !ident_start(p[0]))
        return "#define " + name + ": invalid macro parameter '" + p + "'";
      params.push_back(p);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    m.params = std::move(params);
    j = close + 1;
  }
  m.body = trim(text.substr(j));
  macros_[name] = std::move(m);
  return "";
}

void MacroTable::undefine(const std::string& name) {
  macros_.erase(name);
}

std::string MacroTable::expand(const std::string& line, bool& in_comment) const {
  if (macros_.empty()) return line;
  std::vector<std::string> active;
  return expand_text(line, active, in_comment, 0);
}

std::string MacroTable::expand_text(const std::string& text, std::vector<std::string>& active,
                                    bool& in_comment, int depth) const {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (in_comment) {
      size_t end = text.find("*/", i);
      size_t stop = end == std::string::npos ? text.size() : end + 2;
      out += text.substr(i, stop - i);
      i = stop;
      if (end != std::string::npos) in_comment = false;
      continue;
    }
    char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      out += text.substr(i);
      break;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      in_comment = true;
      out += "/*";
      i += 2;
      continue;
    }
    if (c == '"') {
      i = skip_string(text, i, out);
      continue;
    }
    if (!ident_start(c) || (i > 0 && ident_char(text[i - 1]))) {
      out += c;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && ident_char(text[j]))
      ++j;
    std::string word = text.substr(i, j - i);
    // $var, @map, s.field, p->field: names of their own, never macro uses.
    bool named = i > 0 && (text[i - 1] == '$' || text[i - 1] == '@' || text[i - 1] == '.' ||
                           (i > 1 && text[i - 1] == '>' && text[i - 2] == '-'));
    auto it = named ? macros_.end() : macros_.find(word);
    if (it == macros_.end() || std::find(active.begin(), active.end(), word) != active.end() ||
        depth >= kMaxDepth) {
      out += word;
      i = j;
      continue;
    }
    const Macro& m = it->second;
    std::string replacement;
    size_t end = j;
    if (m.params) {
      size_t open = text.find_first_not_of(" \t", j);
      std::vector<std::string> args;
      size_t after = open != std::string::npos && text[open] == '('
                         ? read_arguments(text, open, args)
                         : std::string::npos;
      if (args.size() == 1 && args[0].empty() && m.params->empty()) args.clear();
      if (after == std::string::npos || args.size() != m.params->size()) {
        out += word; // not an invocation (or a malformed one): left for the parser to report
        i = j;
        continue;
      }
      replacement = substitute(m.body, *m.params, args);
      end = after;
    } else {
      replacement = m.body;
    }
    active.push_back(word);
    bool nested_comment = false;
    replacement = expand_text(replacement, active, nested_comment, depth + 1);
    active.pop_back();
    size_t used = end - i;
    if (replacement.size() < used) replacement.append(used - replacement.size(), ' ');
    out += replacement;
    i = end;
  }
  return out;
}

} // namespace tracelet::parser
