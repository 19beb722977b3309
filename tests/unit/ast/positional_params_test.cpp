// Positional parameters where bpftrace takes constants (bpftrace(8): "positional parameters
// ... can be used in probe attach points and as literal arguments"): attach points, lhist()
// bounds, strncmp() lengths, stack depths and str($N + K).
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;

TEST(PositionalParams, InAttachPoints) {
  auto a = analyse("interval:ms:$1 {} uprobe:$2:readline {} tracepoint:syscalls:$3 {}",
                   {"10", "/bin/bash", "sys_enter_openat"});
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& probes = a->program->probes;
  EXPECT_EQ(probes[0]->attach_points[0]->freq, 10u);
  EXPECT_EQ(probes[0]->attach_points[0]->target, "ms");
  EXPECT_EQ(probes[1]->attach_points[0]->target, "/bin/bash");
  EXPECT_EQ(probes[1]->attach_points[0]->func, "readline");
  EXPECT_EQ(probes[2]->attach_points[0]->func, "sys_enter_openat");
}

TEST(PositionalParams, MissingInAttachPointIsLocatedError) {
  auto a = analyse("interval:ms:$1 { exit(); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("stdin:1:1: error: attach point interval:ms:$1 uses $1, but no "
                             "positional parameter $1 is given"),
            std::string::npos)
      << a->errors();
}

TEST(PositionalParams, GivenEmptyIsNoNumberButMissingIsZero) {
  // As bpftrace 0.17: `bpftrace -e '...$1...' ''` is "$1 used numerically but given """.
  auto empty = analyse("BEGIN { print($1); print(str($1)); }", {""});
  EXPECT_FALSE(empty->ok);
  EXPECT_NE(empty->errors().find("$1 used numerically but given \"\""), std::string::npos)
      << empty->errors();
  auto missing = analyse("BEGIN { print($2); @h = lhist(1, $2, 10, 1); }", {"5"});
  EXPECT_TRUE(missing->ok) << missing->errors();
}

TEST(PositionalParams, LiteralArgumentsOfLhistStrncmpAndStacks) {
  auto a = analyse(R"(BEGIN { @h = lhist(5, $1, $2, $3); $c = strncmp("ab", "ac", $4);
                              @k[kstack($5)] = count(); @u[ustack(perf, $5)] = count(); })",
                   {"0", "100", "10", "1", "3"});
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@h"), "lhist(0,100,10)");
  EXPECT_EQ(a->type_of("kstack($5)"), "kstack(bpftrace,3)");
}

TEST(PositionalParams, NegativeLhistMinAndCount) {
  auto a = analyse("BEGIN { @h = lhist(5, $1, $#, 1); }", {"0", "x"});
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@h"), "lhist(0,2,1)");
}

TEST(PositionalParams, TextWhereANumberIsNeededIsAnError) {
  auto a = analyse(R"(BEGIN { $c = strncmp("ab", "ac", $1); })", {"abc"});
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("$1"), std::string::npos) << a->errors();
}

TEST(PositionalParams, StrOfParamPlusOffset) {
  auto a = analyse("BEGIN { printf(\"%s\\n\", str($1 + 3)); }", {"hello"});
  ASSERT_TRUE(a->ok) << a->errors();
  auto b = analyse("BEGIN { printf(\"%s\\n\", str($1 + 6)); }", {"hello"});
  EXPECT_FALSE(b->ok);
  EXPECT_NE(b->errors().find("stdin:1:28: error: str($1 + 6): the offset is past the end of $1 "
                             "(which is 5 characters long)"),
            std::string::npos)
      << b->errors();
}

} // namespace
