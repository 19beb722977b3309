// Errors codegen reports about the user's program: a form the passes accepted that codegen
// cannot lower, or that LLVM refused. Each carries the location of the node (or probe) it is
// about; cli/main.cpp prints it as the passes' diagnostics are printed
// (file:line:col: error: message, the source line and a caret).
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <string>

namespace tracelet::codegen {

// Located at a probe's attach point when LLVM reported it (no file when LLVM named no
// function).
struct CodegenError : Error {
  CodegenError(const Location& loc, const std::string& message) : Error(message), loc(loc) {}
  Location loc;
};

[[noreturn]] inline void fail_at(const ast::Node& n, const std::string& message) {
  throw CodegenError(n.loc, message);
}

// "<what> not supported yet" at `n`.
[[noreturn]] inline void unsupported_at(const ast::Node& n, const std::string& what) {
  fail_at(n, what + " not supported yet");
}

} // namespace tracelet::codegen
