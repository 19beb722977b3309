// Typed AST -> LLVM IR -> BPF ELF object. Every LLVM API call lives in codegen/.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "codegen/compiled_program.h"

#include <ostream>

namespace tracelet::codegen {

struct CodegenOptions {
  std::ostream* ir_out = nullptr; // `-d ir`: print the optimised IR here
  // -k: 1 reports failing helpers other than memory reads; -kk: 2 reports reads too; 0: none.
  int helper_checks = 0;
  // --metrics: hist()/lhist() maps also keep the sum of their values (see kHistSumBucket), at
  // the cost of a second map update per hist() call; off otherwise.
  bool hist_sums = false;
  // Syscall tracepoint wildcards and lists as one raw_tracepoint sys_enter/sys_exit program
  // each (syscall_dispatch.cpp); false: one tracepoint program per syscall, as before.
  bool syscall_dispatch = true;
};

// An error LLVM reported for one probe's program (the BPF stack limit, an unsupported
// operation), located at the probe's attach point (no file when LLVM named no function).
struct CodegenError : Error {
  CodegenError(const Location& loc, const std::string& message) : Error(message), loc(loc) {}
  Location loc;
};

// Lowers a program that ast::analyse() accepted. Throws CodegenError or tracelet::Error if
// LLVM fails; LLVM itself never ends the process.
CompiledProgram compile(ast::Program& program, const CodegenOptions& options);

} // namespace tracelet::codegen
