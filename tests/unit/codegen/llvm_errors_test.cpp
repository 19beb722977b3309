// LLVM never ends the process (issue 13, item 3): its errors come back as a CodegenError
// located at the probe that caused them, and -kk checks no longer fill the BPF stack.
#include "codegen_fixture.h"

#include "ast/passes/semantic.h"
#include "parser/driver.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;

TEST(LlvmErrors, StackLimitIsALocatedErrorNotAnExit) {
  // Nine 64-byte strings as one map key: more than the 512 bytes of BPF stack.
  std::string source = "BEGIN { }\nkprobe:f { @x[str(arg0), str(arg1), str(arg2), str(arg3), "
                       "str(arg4), str(arg0), str(arg1), str(arg2), str(arg3)] = 1; }";
  Diagnostics diags;
  auto program = parser::parse("-e", source, diags);
  ASSERT_TRUE(program);
  FakeKernelInfo kernel;
  ASSERT_TRUE(ast::analyse(*program, kernel, diags, {})) << diags.error_count();
  try {
    codegen::compile(*program, {});
    FAIL() << "compiled although the BPF stack limit is exceeded";
  } catch (const codegen::CodegenError& e) {
    ASSERT_TRUE(e.loc.file);
    EXPECT_EQ(e.loc.line, 2);
    EXPECT_EQ(e.loc.col, 1);
    EXPECT_EQ(std::string(e.what()),
              "probe kprobe:f cannot be compiled: its values need more than the 512 bytes of BPF "
              "stack (fewer or smaller temporaries in one probe, e.g. split it)");
  }
}

TEST(LlvmErrors, CheckedReadsOfJoinFitTheStack) {
  // execsnoop.bt's probe under -kk: 32 checked reads, each with its own error record.
  auto compiled = compile_source(
      "tracepoint:syscalls:sys_enter_execve { printf(\"%-10u %-5d \", elapsed / 1e6, pid); "
      "join(args->argv); }",
      true, 2);
  ASSERT_TRUE(compiled);
  std::string why = kernel_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << why;
  EXPECT_EQ(load_into_kernel(compiled->program), "");
}
