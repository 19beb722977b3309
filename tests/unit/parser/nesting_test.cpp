// Deep programs (issue 13, item 2): nesting beyond the limit is a located error from the
// parser, never a stack overflow; nesting at the limit parses.
#include "parse_helpers.h"
#include "parser/nesting.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

// Generated programs of about `n` levels, one per recursive construct.
std::vector<std::pair<std::string, std::string>> deep_programs(int n) {
  return {
      {"plus", "BEGIN { @x = 1" + repeat(" + 1", n) + "; }"},
      {"not", "BEGIN { @x = " + repeat("!", n) + "1; }"},
      {"neg", "BEGIN { @x = " + repeat("- ", n) + "1; }"},
      {"casts", "BEGIN { @x = " + repeat("(int64)", n) + "1; }"},
      {"if", "BEGIN { " + repeat("if (1) { ", n / 2) + "@x = 1;" + repeat(" }", n / 2) + " }"},
      {"else_if", "BEGIN { if (pid == 0) { @x = 0; }" +
                      repeat(" else if (pid == 1) { @x = 1; }", n / 2) + " }"},
      {"ternary", "BEGIN { @x = " + repeat("pid == 1 ? 2 : ", n) + "3; }"},
      {"index", "BEGIN { @a[0] = 1; @x = " + repeat("@a[", n) + "0" + repeat("]", n) + "; }"},
      {"blocks", "BEGIN { " + repeat("{ ", n / 2) + "@x = 1;" + repeat(" }", n / 2) + " }"},
      {"and", "BEGIN { if (pid == 0" + repeat(" || pid == 1", n) + ") { @x = 1; } }"},
  };
}

} // namespace

TEST(Nesting, HundredThousandLevelsAreALocatedError) {
  for (const auto& [name, text] : deep_programs(100000)) {
    auto r = parse_text(text);
    EXPECT_EQ(r.program, nullptr) << name;
    std::string messages = r.messages();
    EXPECT_NE(messages.find("stdin:1:"), std::string::npos) << name;
    EXPECT_NE(messages.find(": error: nested too deeply (limit 2000)\n"), std::string::npos)
        << name << ": " << messages.substr(0, 300);
  }
}

TEST(Nesting, ErrorPointsIntoTheLineWithACaret) {
  auto r = parse_text("BEGIN {\n  @x = " + repeat("!", 3000) + "1;\n}");
  ASSERT_EQ(r.program, nullptr);
  std::string messages = r.messages();
  // The node at depth 2001 (probe 0, block 1, statement 2, the kth `!` k + 2) is the
  // 1999th `!`, at column 7 + 1999.
  EXPECT_EQ(messages.substr(0, messages.find('\n')),
            "stdin:2:" + std::to_string(7 + 1999) + ": error: nested too deeply (limit 2000)");
  EXPECT_NE(messages.find("\n" + std::string(7 + 1999 - 1, ' ') + "^"), std::string::npos);
}

TEST(Nesting, BelowTheLimitParses) {
  for (const auto& [name, text] : deep_programs(parser::kMaxNestingDepth - 20)) {
    auto r = parse_text(text);
    EXPECT_NE(r.program, nullptr) << name << ": " << r.messages().substr(0, 300);
  }
}
