// #define expansion (issue 10, item 9): object-like macros as bpftrace 0.17 expands them
// (`#define N 5` then `N`), simple function-like macros as C does, and what is never a macro
// use (strings, comments, $var, @map, members).
#include "parser/macros.h"

#include <gtest/gtest.h>

using tracelet::parser::MacroTable;

namespace {

std::string expand(MacroTable& t, const std::string& line) {
  bool in_comment = false;
  return t.expand(line, in_comment);
}

} // namespace

TEST(Macros, ObjectLikeAndRescanned) {
  MacroTable t;
  EXPECT_EQ(t.define(" N 5"), "");
  EXPECT_EQ(t.define(" M (N + 1)"), "");
  EXPECT_EQ(expand(t, "printf(\"%d %d\\n\", N, M);"), "printf(\"%d %d\\n\", 5, (5 + 1));");
}

TEST(Macros, ShorterExpansionKeepsColumns) {
  MacroTable t;
  t.define(" LIMIT 9");
  EXPECT_EQ(expand(t, "if (x > LIMIT) { y }"), "if (x > 9    ) { y }");
}

TEST(Macros, FunctionLike) {
  MacroTable t;
  EXPECT_EQ(t.define(" SQ(x) ((x) * (x))"), "");
  EXPECT_EQ(t.define(" ADD(a, b) ((a) + (b))"), "");
  EXPECT_EQ(t.define(" ZERO() 0"), "");
  EXPECT_EQ(expand(t, "$a = SQ(3); $b = ADD(f(1, 2), SQ($a)); $c = ZERO();"),
            "$a = ((3) * (3)); $b = ((f(1, 2)) + ((($a) * ($a)))); $c = 0     ;");
  // Without parentheses the name is not an invocation.
  EXPECT_EQ(expand(t, "SQ + 1"), "SQ + 1");
}

TEST(Macros, NotInStringsCommentsVariablesMapsOrMembers) {
  MacroTable t;
  t.define(" pid 7");
  EXPECT_EQ(expand(t, R"(printf("pid"); // pid)"), R"(printf("pid"); // pid)");
  EXPECT_EQ(expand(t, "$pid = @pid + s.pid + p->pid;"), "$pid = @pid + s.pid + p->pid;");
  EXPECT_EQ(expand(t, "xpid + pidx + pid"), "xpid + pidx + 7  ");
  bool in_comment = false;
  EXPECT_EQ(t.expand("/* pid", in_comment), "/* pid");
  EXPECT_TRUE(in_comment);
  EXPECT_EQ(t.expand("pid */ pid", in_comment), "pid */ 7  ");
  EXPECT_FALSE(in_comment);
}

TEST(Macros, RecursionStopsAndUndefRemoves) {
  MacroTable t;
  t.define(" A B");
  t.define(" B A");
  EXPECT_EQ(expand(t, "A"), "A"); // A -> B -> A (not expanded again)
  t.undefine("A");
  EXPECT_EQ(expand(t, "A B"), "A A"); // B -> A, and A is no macro any more
}

TEST(Macros, ContinuationLinesAndBadDefinitions) {
  MacroTable t;
  EXPECT_EQ(t.define(" LONG (1 + \\\n 2)"), "");
  EXPECT_EQ(expand(t, "LONG"), "(1 +   2)");
  EXPECT_NE(t.define(" 9X 1"), "");
  EXPECT_NE(t.define(" F(a, 1) a"), "");
}
