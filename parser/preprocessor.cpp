#include "parser/preprocessor.h"

#include "parser/include_check.h"
#include "parser/macros.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tracelet::parser {

namespace {

struct Conditional {
  bool enclosing_active; // whether the lines around this #if are compiled
  bool taking;           // whether the current branch is compiled
  bool seen_else = false;
  Location loc;
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string first_word(const std::string& s, size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t'))
    ++pos;
  size_t start = pos;
  while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '_'))
    ++pos;
  return s.substr(start, pos - start);
}

// Tracks whether a line ends inside a /* */ comment, ignoring comment markers in strings.
bool ends_in_comment(const std::string& line, bool in_comment) {
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    char next = i + 1 < line.size() ? line[i + 1] : '\0';
    if (in_comment) {
      if (c == '*' && next == '/') {
        in_comment = false;
        ++i;
      }
    } else if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '/' && next == '/') {
      break;
    } else if (c == '/' && next == '*') {
      in_comment = true;
      ++i;
    }
  }
  return in_comment;
}

class Preprocessor {
public:
  Preprocessor(const std::shared_ptr<const std::string>& file, Diagnostics& diags)
      : file_(file), diags_(diags),
        defined_(std::begin(kPredefinedMacros), std::end(kPredefinedMacros)) {}

  Preprocessed run(const std::string& text) {
    size_t start = 0;
    int line_no = 1;
    bool in_comment = false;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      bool last = nl == std::string::npos;
      std::string line = text.substr(start, last ? std::string::npos : nl - start);
      bool was_in_comment = in_comment;
      in_comment = ends_in_comment(line, in_comment);
      std::string kept = line;
      if (continuation_) {
        continuation_ = !line.empty() && line.back() == '\\';
        if (active()) {
          out_.defines.back().text += "\n" + line;
          if (!continuation_) define_macro(out_.defines.back());
        }
        kept.clear();
      } else if (!was_in_comment && is_directive(line)) {
        if (!(line_no == 1 && line.rfind("#!", 0) == 0)) directive(line, line_no);
        kept.clear();
      } else if (!active()) {
        kept.clear();
      } else {
        kept = macros_.expand(line, macro_comment_); // the script's own #defines
      }
      out_.text += kept;
      if (last) break;
      out_.text += '\n';
      start = nl + 1;
      ++line_no;
    }
    for (auto& c : stack_)
      diags_.error(c.loc, "unterminated conditional directive: missing #endif");
    return std::move(out_);
  }

private:
  static bool is_directive(const std::string& line) {
    size_t p = line.find_first_not_of(" \t");
    return p != std::string::npos && line[p] == '#';
  }

  bool active() const { return stack_.empty() || stack_.back().taking; }

  Location location(int line_no, const std::string& line) const {
    Location loc;
    loc.file = file_;
    loc.line = loc.end_line = line_no;
    loc.col = static_cast<int>(line.find('#')) + 1;
    loc.end_col = static_cast<int>(trim(line).size()) + loc.col;
    return loc;
  }

  void directive(const std::string& line, int line_no) {
    Location loc = location(line_no, line);
    size_t pos = line.find('#') + 1;
    std::string name = first_word(line, pos);
    std::string rest = trim(line.substr(pos));
    if (name == "ifdef" || name == "ifndef") {
      size_t p = 0;
      std::string macro = first_word(rest, p);
      if (macro.empty()) diags_.error(loc, "#" + name + " needs a macro name");
      bool taking = defined_.count(macro) == (name == "ifdef" ? 1u : 0u);
      stack_.push_back({active(), active() && taking, false, loc});
    } else if (name == "if") {
      bool value = false;
      if (!evaluate(rest, value))
        diags_.error(loc, "unsupported #if condition '" + rest +
                              "': only an integer or defined(NAME) is understood");
      stack_.push_back({active(), active() && value, false, loc});
    } else if (name == "else") {
      if (stack_.empty() || stack_.back().seen_else) {
        diags_.error(loc, "#else without #if");
        return;
      }
      auto& c = stack_.back();
      c.seen_else = true;
      c.taking = c.enclosing_active && !c.taking;
    } else if (name == "endif") {
      if (stack_.empty()) {
        diags_.error(loc, "#endif without #if");
        return;
      }
      stack_.pop_back();
    } else if (!active()) {
      // Other directives in an inactive branch are not looked at, as in C.
    } else if (name == "include") {
      include(rest, loc);
    } else if (name == "define") {
      size_t p = 0;
      std::string macro = first_word(rest, p);
      if (macro.empty()) {
        diags_.error(loc, "#define needs a macro name");
        return;
      }
      defined_.insert(macro);
      out_.defines.push_back({trim(line), loc});
      continuation_ = !line.empty() && line.back() == '\\';
      if (!continuation_) define_macro(out_.defines.back());
    } else if (name == "undef") {
      size_t p = 0;
      std::string macro = first_word(rest, p);
      defined_.erase(macro);
      macros_.undefine(macro);
    } else {
      diags_.error(loc, "unknown preprocessor directive '#" + name + "'");
    }
  }

  // A complete `#define` (continuations joined) enters the macro table.
  void define_macro(const ast::CDefinition& def) {
    size_t p = def.text.find("define") + 6;
    std::string error = macros_.define(def.text.substr(p));
    if (!error.empty()) diags_.error(def.loc, error);
  }

  void include(const std::string& rest, const Location& loc) {
    if (rest.size() >= 2) {
      char open = rest.front();
      char close = open == '<' ? '>' : open == '"' ? '"' : '\0';
      size_t end = close ? rest.find(close, 1) : std::string::npos;
      if (end != std::string::npos && end > 1 && trim(rest.substr(end + 1)).empty()) {
        std::string header = rest.substr(1, end - 1);
        std::string why = missing_header_reason(header, open == '"', loc.filename());
        if (!why.empty()) diags_.error(loc, "#include " + rest.substr(0, end + 1) + ": " + why);
        out_.includes.push_back(std::move(header));
        return;
      }
    }
    diags_.error(loc, "malformed #include: expected <header.h> or \"header.h\"");
  }

  bool evaluate(const std::string& cond, bool& value) const {
    if (!cond.empty() &&
        std::all_of(cond.begin(), cond.end(), [](unsigned char c) { return std::isdigit(c); })) {
      value = cond.find_first_not_of('0') != std::string::npos;
      return true;
    }
    bool negate = !cond.empty() && cond[0] == '!';
    std::string c = trim(negate ? cond.substr(1) : cond);
    if (c.rfind("defined", 0) != 0) return false;
    std::string arg = trim(c.substr(7));
    if (!arg.empty() && arg.front() == '(' && arg.back() == ')')
      arg = trim(arg.substr(1, arg.size() - 2));
    size_t p = 0;
    std::string macro = first_word(arg, p);
    if (macro.empty() || p != arg.size()) return false;
    value = (defined_.count(macro) != 0) != negate;
    return true;
  }

  std::shared_ptr<const std::string> file_;
  Diagnostics& diags_;
  std::set<std::string> defined_;
  std::vector<Conditional> stack_;
  bool continuation_ = false; // the previous line was a #define ending in '\'
  MacroTable macros_;
  bool macro_comment_ = false; // a /* */ comment open at the end of the last expanded line
  Preprocessed out_;
};

} // namespace

Preprocessed preprocess(const std::string& text, const std::shared_ptr<const std::string>& file,
                        Diagnostics& diags) {
  return Preprocessor(file, diags).run(text);
}

} // namespace tracelet::parser
