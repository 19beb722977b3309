// `#define` macros of a script, expanded in the program text as C does for the simple forms:
// object-like (`#define N 64`, `#define MASK (N - 1)`) and function-like
// (`#define SQ(x) ((x) * (x))`), bodies rescanned for other macros (a macro never expands
// inside itself). Not expanded: string literals, comments, `$var`/`@map` names and members
// after `.` or `->`. An invocation of a function-like macro must stay on one line.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::parser {

class MacroTable {
public:
  // The text after `#define` (continuation lines joined): "N 64", "SQ(x) ((x) * (x))".
  // Returns an error message, or "" when the definition is accepted.
  std::string define(const std::string& definition);
  void undefine(const std::string& name);
  bool empty() const { return macros_.empty(); }

  // `line` with every macro use expanded. `in_comment` carries an open /* */ comment from one
  // line to the next. An expansion shorter than the macro use is padded with spaces so that
  // the columns after it stay those of the source.
  std::string expand(const std::string& line, bool& in_comment) const;

private:
  struct Macro {
    std::optional<std::vector<std::string>> params; // set for function-like macros
    std::string body;
  };
  std::string expand_text(const std::string& text, std::vector<std::string>& active,
                          bool& in_comment, int depth) const;
  std::map<std::string, Macro> macros_;
};

} // namespace tracelet::parser
