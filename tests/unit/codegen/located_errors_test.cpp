// Errors codegen reports about the user's program (codegen/located_error.h) are located as the
// passes' errors are: file:line:col: error: message, the source line and a caret under the
// node, through the same front-end path as the CLI (tests/fuzz/frontend_run.cpp).
#include "tests/fuzz/frontend_run.h"

#include <gtest/gtest.h>

#include <string>

using tracelet::fuzz::run_frontend;

namespace {

TEST(CodegenLocatedErrors, DeleteOfOneKeyOfAnLhistWithTooManyBuckets) {
  // One bpf_loop iteration per bucket: at most 2^23 (lhist(x, 0, 8388606, 1) compiles).
  auto r = run_frontend("BEGIN { @h[1] = lhist(5, 0, 8388607, 1);\n  delete(@h[1]); }");
  EXPECT_FALSE(r.compiled);
  EXPECT_EQ(r.errors, "fuzz.bt:2:3: error: delete() of one key of an lhist() map with more than "
                      "8388608 buckets (this one has 8388609)\n"
                      "  delete(@h[1]); }\n"
                      "  ^~~~~~~~~~~~~\n");
  EXPECT_TRUE(run_frontend("BEGIN { @h[1] = lhist(5, 0, 8388606, 1); delete(@h[1]); }").compiled);
}

// Forms bpftrace 0.17 runs that codegen once refused without a location: a value as a
// statement and print() of a map with negative top and div.
TEST(CodegenLocatedErrors, ValueStatementsAndNegativePrintArgumentsCompile) {
  for (const char* source : {"BEGIN { buf(\"abc\", 2); }", "BEGIN { ksym(0); ntop(0); }",
                             "BEGIN { @m[1] = 2; print(@m, -1, -1); }"}) {
    auto r = run_frontend(source);
    EXPECT_TRUE(r.compiled) << source << ":\n" << r.errors;
  }
}

} // namespace
