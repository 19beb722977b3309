// Typed AST -> LLVM IR -> BPF ELF object. Every LLVM API call lives in codegen/.
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"
#include "codegen/compiled_program.h"
#include "codegen/located_error.h"

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

// Lowers a program that ast::analyse() accepted. Throws CodegenError (located) for a form it
// cannot lower or an error LLVM reports for a probe, tracelet::Error if LLVM fails otherwise; LLVM
// itself never ends the process.
CompiledProgram compile(ast::Program& program, const CodegenOptions& options);

} // namespace tracelet::codegen
