#include "parser/preprocessor.h"

#include "parser/header_search.h"
#include "parser/if_condition.h"
#include "parser/macros.h"
#include "parser/source_file.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <set>

namespace tracelet::parser {

namespace {

constexpr int kMaxIncludeDepth = 200; // clang's limit ("#include nested too deeply")

struct Conditional {
  bool enclosing_active; // whether the lines around this #if are compiled
  bool taking;           // whether the current branch is compiled
  bool taken = false;    // whether some branch of it was (no later #elif/#else is)
  bool seen_else = false;
  Location loc;
};

// One file being preprocessed: the script, or a header it includes.
struct FileState {
  std::shared_ptr<const std::string> file;
  std::string dir; // where its "x.h" includes are looked up first
  std::vector<Conditional> stack;
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
// `strip`: if set, receives the line without its comments (a comment becomes one space).
bool ends_in_comment(const std::string& line, bool in_comment, std::string* strip = nullptr) {
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    char next = i + 1 < line.size() ? line[i + 1] : '\0';
    if (in_comment) {
      if (c == '*' && next == '/') {
        in_comment = false;
        ++i;
        if (strip) *strip += ' ';
      }
      continue;
    }
    if (in_string) {
      if (c == '\\' && i + 1 < line.size()) {
        if (strip) *strip += c;
        c = line[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '/' && next == '/') {
      break;
    } else if (c == '/' && next == '*') {
      in_comment = true;
      ++i;
      continue;
    }
    if (strip) *strip += c;
  }
  return in_comment;
}

bool continues(const std::string& line) {
  return !line.empty() && line.back() == '\\';
}

bool is_directive(const std::string& line) {
  size_t p = line.find_first_not_of(" \t");
  return p != std::string::npos && line[p] == '#';
}

// The file's identity for #pragma once and include cycles.
std::string identity(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return path;
  std::string r(real);
  std::free(real);
  return r;
}

class Preprocessor {
public:
  explicit Preprocessor(Diagnostics& diags)
      : diags_(diags), defined_(std::begin(kPredefinedMacros), std::end(kPredefinedMacros)) {}

  Preprocessed run(const std::string& text, const std::shared_ptr<const std::string>& file) {
    for (const auto& name : include_files()) {
      HeaderLookup h = find_header(name, /*quoted=*/true, ".");
      if (!h.found) throw Error("--include " + name + ": file not found");
      if (h.user)
        read_header(h.path, nullptr);
      else
        out_.includes.push_back(name);
    }
    out_.text = process(text, file, ".");
    return std::move(out_);
  }

private:
  // `text` with its directive lines and inactive lines blanked and macros expanded.
  std::string process(const std::string& text, const std::shared_ptr<const std::string>& file,
                      const std::string& dir) {
    FileState st{file, dir, {}};
    std::string result;
    size_t start = 0;
    int line_no = 1;
    bool in_comment = false;
    bool macro_comment = false; // a /* */ comment open at the end of the last expanded line
    std::string pending;        // a directive continued with '\' on the next lines
    int pending_line = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      bool last = nl == std::string::npos;
      std::string line = text.substr(start, last ? std::string::npos : nl - start);
      bool was_in_comment = in_comment;
      in_comment = ends_in_comment(line, in_comment);
      if (!pending.empty()) {
        pending += "\n" + line;
        if (!continues(line)) {
          directive(pending, pending_line, st);
          pending.clear();
        }
      } else if (!was_in_comment && is_directive(line)) {
        if (line_no == 1 && line.rfind("#!", 0) == 0) {
          // the interpreter line of an executable script
        } else if (continues(line)) {
          pending = line;
          pending_line = line_no;
        } else {
          directive(line, line_no, st);
        }
      } else if (active(st)) {
        result += macros_.expand(line, macro_comment);
      }
      if (last) break;
      result += '\n';
      start = nl + 1;
      ++line_no;
    }
    if (!pending.empty()) directive(pending, pending_line, st);
    for (auto& c : st.stack)
      diags_.error(c.loc, "unterminated conditional directive: missing #endif");
    return result;
  }

  static bool active(const FileState& st) { return st.stack.empty() || st.stack.back().taking; }

  // The directive's first line, from its '#' to its end.
  static Location location(const FileState& st, int line_no, const std::string& line) {
    Location loc;
    loc.file = st.file;
    loc.line = loc.end_line = line_no;
    loc.col = static_cast<int>(line.find('#')) + 1;
    std::string first = line.substr(0, line.find('\n'));
    loc.end_col = static_cast<int>(trim(first).size()) + loc.col;
    return loc;
  }

  void directive(const std::string& full, int line_no, FileState& st) {
    Location loc = location(st, line_no, full);
    std::string line;
    ends_in_comment(full, false, &line); // comments in a directive are spaces
    size_t pos = line.find('#') + 1;
    std::string name = first_word(line, pos);
    // Continuation lines: `\` + newline is a space (#define keeps them for MacroTable).
    for (size_t p = line.find("\\\n"); name != "define" && p != std::string::npos;
         p = line.find("\\\n", p))
      line[p] = ' ';
    std::string rest = trim(line.substr(pos));
    if (name == "ifdef" || name == "ifndef") {
      size_t p = 0;
      std::string macro = first_word(rest, p);
      if (macro.empty()) diags_.error(loc, "#" + name + " needs a macro name");
      bool taking = active(st) && defined_.count(macro) == (name == "ifdef" ? 1u : 0u);
      st.stack.push_back({active(st), taking, taking, false, loc});
    } else if (name == "if") {
      bool taking = active(st) && condition(rest, loc, line, st);
      st.stack.push_back({active(st), taking, taking, false, loc});
    } else if (name == "elif" || name == "else") {
      if (st.stack.empty() || st.stack.back().seen_else) {
        diags_.error(loc, "#" + name + " without #if");
        return;
      }
      auto& c = st.stack.back();
      c.seen_else = name == "else";
      c.taking = c.enclosing_active && !c.taken && (c.seen_else || condition(rest, loc, line, st));
      c.taken = c.taken || c.taking;
    } else if (name == "endif") {
      if (st.stack.empty()) {
        diags_.error(loc, "#endif without #if");
        return;
      }
      st.stack.pop_back();
    } else if (!active(st)) {
      // Other directives in an inactive branch are not looked at, as in C.
    } else if (name == "include") {
      include(rest, loc, st);
    } else if (name == "define") {
      size_t p = 0;
      std::string macro = first_word(rest, p);
      if (macro.empty()) {
        diags_.error(loc, "#define needs a macro name");
        return;
      }
      defined_.insert(macro);
      out_.defines.push_back({trim(line), loc, {}});
      std::string error = macros_.define(rest);
      if (!error.empty()) diags_.error(loc, error);
    } else if (name == "undef") {
      size_t p = 0;
      std::string macro = first_word(rest, p);
      defined_.erase(macro);
      macros_.undefine(macro);
    } else if (name == "pragma") {
      // `#pragma once`; clang ignores the pragmas it does not know, and so does tracelet.
      if (rest == "once") once_.insert(identity(*st.file));
    } else if (name == "error") {
      diags_.error(loc, "#error " + rest);
    } else if (name == "warning") {
      diags_.warning(loc, "#warning " + rest);
    } else {
      diags_.error(loc, "unknown preprocessor directive '#" + name + "'");
    }
  }

  // The value of an #if/#elif condition (`line`: the directive, to locate the condition).
  bool condition(const std::string& cond, const Location& loc, const std::string& line,
                 const FileState& st) {
    Location at = loc;
    size_t col = line.find(cond);
    if (col != std::string::npos && line.find('\n') > col) at.col = static_cast<int>(col) + 1;
    // On disk, as clang answers it: a kernel header that #include accepts without a file
    // (types come from BTF) is not there for __has_include.
    auto has_include = [&st](const std::string& header, bool quoted) {
      return !find_header(header, quoted, st.dir).path.empty();
    };
    auto value = evaluate_if_condition(cond, at, defined_, macros_, has_include, diags_);
    return value.value_or(false);
  }

  void include(const std::string& rest, const Location& loc, const FileState& st) {
    char open = rest.empty() ? '\0' : rest.front();
    char close = open == '<' ? '>' : open == '"' ? '"' : '\0';
    size_t end = close ? rest.find(close, 1) : std::string::npos;
    if (end == std::string::npos || end == 1 || !trim(rest.substr(end + 1)).empty()) {
      diags_.error(loc, "malformed #include: expected <header.h> or \"header.h\"");
      return;
    }
    std::string header = rest.substr(1, end - 1);
    HeaderLookup h = find_header(header, open == '"', st.dir);
    if (!h.found) {
      diags_.error(loc, "#include " + rest.substr(0, end + 1) + ": file not found");
    } else if (!h.user) {
      out_.includes.push_back(std::move(header));
    } else if (std::count(reading_.begin(), reading_.end(), identity(h.path)) >= 2) {
      // Read a third time while being read: no include guard stops the cycle.
      diags_.error(loc, "#include nested too deeply: " + cycle(identity(h.path)));
    } else if (reading_.size() >= static_cast<size_t>(kMaxIncludeDepth)) {
      diags_.error(loc, "#include nested too deeply: more than " +
                            std::to_string(kMaxIncludeDepth) + " levels");
    } else {
      read_header(h.path, &loc);
    }
  }

  // "include cycle ./a.h -> ./b.h -> ./a.h" for a header being read twice (`id`).
  std::string cycle(const std::string& id) const {
    auto first = std::find(reading_.begin(), reading_.end(), id);
    auto again = std::find(first + 1, reading_.end(), id);
    std::string chain = "include cycle";
    for (auto it = first; it <= again && it != reading_.end(); ++it)
      chain += (it == first ? " " : " -> ") + names_[static_cast<size_t>(it - reading_.begin())];
    return chain;
  }

  // A user's header: its directives act on everything after the #include; what is left of
  // its text is scanned for C definitions (parser/driver.cpp). `from`: the #include line
  // (nullptr for --include).
  void read_header(const std::string& path, const Location* from) {
    std::string id = identity(path);
    if (once_.count(id)) return;
    std::string text;
    try {
      text = read_program_file(path);
    } catch (const Error& e) {
      if (!from) throw;
      diags_.error(*from, e.what());
      return;
    }
    auto file = std::make_shared<const std::string>(path);
    diags_.add_source(path, text);
    if (from) diags_.add_include_origin(path, *from);
    reading_.push_back(id);
    names_.push_back(path);
    std::string body = process(text, file, directory_of(path));
    reading_.pop_back();
    names_.pop_back();
    out_.headers.push_back({file, std::move(body)});
  }

  Diagnostics& diags_;
  std::set<std::string> defined_;
  MacroTable macros_;
  std::set<std::string> once_;       // files with `#pragma once` (their identity())
  std::vector<std::string> reading_; // the headers being read, outermost first (identity())
  std::vector<std::string> names_;   // the same, as named in messages
  Preprocessed out_;
};

} // namespace

Preprocessed preprocess(const std::string& text, const std::shared_ptr<const std::string>& file,
                        Diagnostics& diags) {
  return Preprocessor(diags).run(text, file);
}

} // namespace tracelet::parser
