// Error and warning reporting for the user's program.
//
// The project's one rule for errors: problems in the user's program (syntax, types, unknown
// names, probes that cannot exist) are *values*: collected here so that a run reports all of
// them, and a stage that added errors returns false. Problems of the environment (a syscall that
// fails, libbpf refusing an object, a missing file) are thrown as tracelet::Error and caught once,
// in cli/main.cpp. Nothing else throws.
#pragma once

#include "ast/location.h"

#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tracelet {

// Failure of the environment; message is a complete one-line explanation.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity;
  Location loc;
  std::string message;
};

class Diagnostics {
public:
  // Source texts by file name, so that messages can quote the offending line.
  void add_source(const std::string& filename, std::string text);
  // `header` was read for the `#include` at `from`: messages located in it start, as clang's
  // do, with "In file included from FILE:LINE:" for each including file, outermost first.
  void add_include_origin(const std::string& header, const Location& from);

  void error(const Location& loc, std::string message);
  void warning(const Location& loc, std::string message);

  bool has_errors() const { return error_count_ > 0; }
  int error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  void clear();

  // Prints every diagnostic in the order reported:
  //   file:line:col: error: message
  //   <the source line>
  //   <spaces>^~~~~   (caret at the start column, tildes to the end of the range on that line)
  void print(std::ostream& out, bool with_warnings = true) const;
  // One diagnostic, formatted exactly as print() does.
  std::string format(const Diagnostic& d) const;

private:
  std::map<std::string, std::string> sources_;
  std::map<std::string, Location> origins_; // header -> the #include that read it first
  std::vector<Diagnostic> diags_;
  int error_count_ = 0;
};

} // namespace tracelet
