// An empty or comments-only program is a located error (issue 13, item 8), where a probe was
// expected, rather than an unlocated "no probes to attach" after all the passes.
#include "parse_helpers.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;

TEST(EmptyProgram, EmptyText) {
  auto r = parse_text("");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_EQ(r.messages(),
            "stdin:1:1: error: the program has no probes: it is empty or only comments\n\n^\n");
}

TEST(EmptyProgram, OnlyComments) {
  auto r = parse_text("/* a */ // b");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_EQ(r.messages(), "stdin:1:13: error: the program has no probes: it is empty or only "
                          "comments\n/* a */ // b\n            ^\n");
}

TEST(EmptyProgram, OnlyDefinitions) {
  auto r = parse_text("#define X 1\n");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_NE(r.messages().find("error: the program has no probes, only definitions"),
            std::string::npos)
      << r.messages();
}
