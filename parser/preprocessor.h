// The `#` lines of a script and of the headers it includes: `#!` on the first line,
// `#include`, `#define`/`#undef`, the conditionals `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/
// `#endif` (bpftrace's own tools use `#ifndef BPFTRACE_HAVE_BTF`), `#pragma once`, `#error`
// and `#warning`. Runs before the scanner; directive lines and lines in inactive branches
// become empty lines so that every token keeps its line and column.
//
// Headers found in the current or including file's directory or an -I directory
// (parser/header_search.h), and the --include files, are read as parts of the program: their
// macros apply to everything after the #include, and their remaining text (C definitions) is
// scanned as the script's own (parser/driver.cpp). Nested includes are followed; include
// guards and `#pragma once` work as in C.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace tracelet::parser {

// A user's header after preprocessing: what is left is its C definitions.
struct HeaderText {
  std::shared_ptr<const std::string> file; // its path, as in messages ("./defs.h")
  std::string text;
};

struct Preprocessed {
  std::string text;                      // the input, directive and inactive lines blanked
  std::vector<std::string> includes;     // system header names, in order (c_defines.h)
  std::vector<ast::CDefinition> defines; // `#define` lines, kept for the C type passes
  std::vector<HeaderText> headers;       // in the order they end (nested before includer)
};

// Macros defined before the script starts. tracelet always takes kernel types from BTF.
inline constexpr const char* kPredefinedMacros[] = {"BPFTRACE_HAVE_BTF"};

// Reads the --include files (include_files()) first, as if the script began with an
// `#include "FILE"` for each. Throws tracelet::Error when one of them is found nowhere.
Preprocessed preprocess(const std::string& text, const std::shared_ptr<const std::string>& file,
                        Diagnostics& diags);

} // namespace tracelet::parser
