// Type rules for indexing arrays held by value (in variables, maps, tuples), at any depth, and
// the bounds bpftrace 0.17 checks on literal indexes: its own wording, located at the index
// expression. Runtime behaviour: tests/runtime/array_values_test.cpp.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;

const char* kDefs = "struct P { int a; int b; }\n"
                    "struct G { int y[2][2]; struct P p[2]; long z[2][2][2]; }\n";

std::string program(const std::string& body) {
  return std::string(kDefs) + "BEGIN { $g = (struct G *)0; " + body + " }";
}

TEST(ArrayValues, ElementsOfArraysInVariablesAndMaps) {
  auto a = analyse(program("$b = $g->y; $y = $b[1][0]; @b[0] = $g->y; $m = @b[0][1][0]; "
                           "$x = @b[0]; $v = $x[1][0]; $row = $b[1]; $z = $g->z; "
                           "$deep = $z[1][0][1]; $zrow = $z[1];"));
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$b[1]"), "int32[2]");
  EXPECT_EQ(a->type_of("$b[1][0]"), "int32");
  EXPECT_EQ(a->type_of("@b[0][1]"), "int32[2]");
  EXPECT_EQ(a->type_of("@b[0][1][0]"), "int32");
  EXPECT_EQ(a->type_of("$x[1][0]"), "int32");
  EXPECT_EQ(a->type_of("$z[1]"), "int64[2][2]");
  EXPECT_EQ(a->type_of("$z[1][0][1]"), "int64");
}

TEST(ArrayValues, RecordElementsOfArraysInVariablesAndMaps) {
  auto a = analyse(program("$p = $g->p; $a = $p[1].a; @p[0] = $p; $b = @p[0][1].b; "
                           "@one = $p[1];"));
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$p[1]"), "struct P");
  EXPECT_EQ(a->type_of("$p[1].a"), "int32");
  EXPECT_EQ(a->type_of("@p[0][1].b"), "int32");
}

TEST(ArrayValues, SubArraysAreValues) {
  // Printed, stored in maps and tuples, used as keys and compared, as bpftrace 0.17 does.
  auto a = analyse(program("$b = $g->y; print($b[1]); @row = $b[1]; @k[$b[0]] = 1; "
                           "@t = ($b[1], 2); $e = $b[0] == $b[1]; $n = $b[0] != $b[1];"));
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("($b[1], 2)"), "(int32[2],int64)");
  EXPECT_EQ(a->type_of("$b[0] == $b[1]"), "uint64");
}

TEST(ArrayValues, ArraysInMemoryTakeAnyIndex) {
  // Read with probe_read at a computed address (bpftrace takes literals only there too).
  auto a = analyse(program("$i = 1; $v = $g->y[$i][0]; $w = $g->p[$i].a;"));
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$g->y[$i][0]"), "int32");
}

struct ErrorCase {
  std::string body;
  std::string message; // the message, caret line included
};

class ArrayIndexErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ArrayIndexErrors, ReportedExactly) {
  auto a = analyse(program(GetParam().body));
  EXPECT_FALSE(a->ok);
  std::string line = "BEGIN { $g = (struct G *)0; " + GetParam().body + " }";
  EXPECT_EQ(a->errors(), "stdin:3:" + GetParam().message.substr(0, GetParam().message.find('\n')) +
                             "\n" + line + "\n" +
                             GetParam().message.substr(GetParam().message.find('\n') + 1));
}

const ErrorCase kErrors[] = {
    {"$b = $g->y; $v = $b[2][0];", "46: error: the index 2 is out of bounds for array of size 2\n"
                                   "                                             ^~~~~\n"},
    {"$b = $g->y; $v = $b[1][2];", "46: error: the index 2 is out of bounds for array of size 2\n"
                                   "                                             ^~~~~~~~\n"},
    {"$b = $g->y; $v = $b[-1][0];", "46: error: the index -1 is out of bounds for array of size 2\n"
                                    "                                             ^~~~~~\n"},
    {"@b[1] = $g->y; $v = @b[1]; $w = $v[1][7];",
     "61: error: the index 7 is out of bounds for array of size 2\n"
     "                                                            ^~~~~~~~\n"},
    {"$v = $g->y[1][5];", "34: error: the index 5 is out of bounds for array of size 2\n"
                          "                                 ^~~~~~~~~~~\n"},
    {"$v = $g->p[3].a;", "34: error: the index 3 is out of bounds for array of size 2\n"
                         "                                 ^~~~~~~~\n"},
    {"$b = $g->y; $i = 1; $v = $b[$i][0];",
     "54: error: an array held in a variable or map takes literal integer indexes only\n"
     "                                                     ^~~~~~\n"},
    {"$z = $g->z; $v = $z[1][1 + 0][0];",
     "46: error: an array held in a variable or map takes literal integer indexes only\n"
     "                                             ^~~~~~~~~~~~\n"},
    {"@p[0] = $g->p; $v = @p[0][$g->y[0][0]].a;",
     "49: error: an array held in a variable or map takes literal integer indexes only\n"
     "                                                ^~~~~~~~~~~~~~~~~~\n"},
};

INSTANTIATE_TEST_SUITE_P(All, ArrayIndexErrors, ::testing::ValuesIn(kErrors));

} // namespace
