// Typed AST -> LLVM IR -> BPF ELF object. Every LLVM API call lives in codegen/.
#pragma once

#include "ast/ast.h"
#include "codegen/compiled_program.h"

#include <ostream>

namespace tracelet::codegen {

struct CodegenOptions {
  std::ostream* ir_out = nullptr; // `-d ir`: print the optimised IR here
  // -k: 1 reports failing helpers other than memory reads; -kk: 2 reports reads too; 0: none.
  int helper_checks = 0;
  // Syscall tracepoint wildcards and lists as one raw_tracepoint sys_enter/sys_exit program
  // each (syscall_dispatch.cpp); false: one tracepoint program per syscall, as before.
  bool syscall_dispatch = true;
};

// Lowers a program that ast::analyse() accepted. Throws tracelet::Error if LLVM fails.
CompiledProgram compile(ast::Program& program, const CodegenOptions& options);

} // namespace tracelet::codegen
