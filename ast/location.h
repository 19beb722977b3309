// Source locations carried by every token and AST node.
#pragma once

#include <memory>
#include <string>

namespace tracelet {

// A half-open range [begin, end) in one source text. Lines and columns are 1-based;
// `end_col` is the column one past the last character of the range.
struct Location {
  std::shared_ptr<const std::string> file; // shared by every node of one source
  int line = 1;
  int col = 1;
  int end_line = 1;
  int end_col = 1;

  const std::string& filename() const;
  // The range spanning from the start of `a` to the end of `b`.
  static Location span(const Location& a, const Location& b);
};

} // namespace tracelet
