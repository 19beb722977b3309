// The `#` lines of a script: `#!` on the first line, `#include`, `#define`/`#undef` and the
// conditionals `#if`/`#ifdef`/`#ifndef`/`#else`/`#endif` (bpftrace's own tools use
// `#ifndef BPFTRACE_HAVE_BTF`). Runs before the scanner; directive lines and lines in
// inactive branches become empty lines so that every token keeps its line and column.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace tracelet::parser {

struct Preprocessed {
  std::string text;                      // the input, directive and inactive lines blanked
  std::vector<std::string> includes;     // header names, in order
  std::vector<ast::CDefinition> defines; // `#define` lines, kept for the C type passes
};

// Macros defined before the script starts. tracelet always takes kernel types from BTF.
inline constexpr const char* kPredefinedMacros[] = {"BPFTRACE_HAVE_BTF"};

Preprocessed preprocess(const std::string& text, const std::shared_ptr<const std::string>& file,
                        Diagnostics& diags);

} // namespace tracelet::parser
