// Errors codegen reports about the user's program (codegen/located_error.h) are located as the
// passes' errors are: file:line:col: error: message, the source line and a caret under the
// node, through the same front-end path as the CLI (tests/fuzz/frontend_run.cpp).
#include "tests/fuzz/frontend_run.h"

#include <gtest/gtest.h>

#include <string>

using tracelet::fuzz::run_frontend;

namespace {

TEST(CodegenLocatedErrors, DeleteOfOneHistKey) {
  auto r = run_frontend("BEGIN { @h[1] = hist(5);\n  delete(@h[1]); }");
  EXPECT_FALSE(r.compiled);
  EXPECT_EQ(r.errors, "fuzz.bt:2:3: error: delete() of one key of a hist()/lhist() map not "
                      "supported yet\n"
                      "  delete(@h[1]); }\n"
                      "  ^~~~~~~~~~~~~\n");
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
