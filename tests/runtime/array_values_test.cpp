// Arrays held by value: an array of arrays (or of structs) in user memory copied into a
// variable or a map, then indexed at any depth; its sub-arrays printed, stored, used as keys
// and compared. The workload's tlx_grid_corner(&grid) passes
//   { .y = {{5,6},{7,8}}, .pairs = {{1,2},{3,4}}, .z = {{{1,2},{3,4}},{{5,6},{7,8}}} };
// bpftrace 0.17 prints the same lines for these scripts (on a program with that struct).
#include "harness.h"

#include <gtest/gtest.h>

using namespace tracelet::test;

namespace {

std::string target() {
  return TL_UPROBE_TARGET;
}

// Runs `body` in a uprobe on tlx_grid_corner while the target makes one round of calls.
RunResult trace_grid(const std::string& body) {
  return trace_while("struct tlx_pair { int a; int b; }\n"
                     "struct tlx_grid { int y[2][2]; struct tlx_pair pairs[2]; long z[2][2][2]; }\n"
                     "uprobe:" +
                         target() + ":tlx_grid_corner { $g = (struct tlx_grid *)arg0; " + body +
                         " }",
                     {target(), "calls", "1"});
}

void expect_lines(const RunResult& r, const std::vector<std::string>& lines) {
  for (const auto& line : lines)
    EXPECT_NE(r.out.find(line + "\n"), std::string::npos) << line << "\nin:\n" << r.out;
}

TEST(ArrayValues, ArrayOfArraysInAVariableIsIndexed) {
  REQUIRE_BPF();
  auto r = trace_grid(R"($b = $g->y; $y = $b[1][0]; printf("Result: %d %d\n", $y, $b[0][1]);)");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  expect_lines(r, {"Result: 7 6"});
}

TEST(ArrayValues, ArrayOfArraysInAMapIsIndexedInPlaceAndThroughAVariable) {
  REQUIRE_BPF();
  auto r = trace_grid(R"(@b[0] = $g->y; printf("map %d\n", @b[0][1][0]);
                         $x = @b[0]; printf("var %d\n", $x[1][1]);)");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  expect_lines(r, {"map 7", "var 8", "@b[0]: [[5,6],[7,8]]"});
}

TEST(ArrayValues, SubArraysArePrintedStoredAndCompared) {
  REQUIRE_BPF();
  auto r = trace_grid(R"($b = $g->y; @b[0] = $g->y; $x = @b[0]; print($b[1]); @row = $b[1];
                         @key[$b[0]] = 1; @t = ($b[1], 2);
                         printf("eq %d %d %d\n", $b[0] == $b[1], $b[1] == $b[1], $b[0] != $x[0]);)");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  expect_lines(r, {"[7,8]", "eq 0 1 0", "@row: [7,8]", "@key[[5,6]]: 1", "@t: ([7,8], 2)"});
}

TEST(ArrayValues, ArrayOfStructsInAVariableAndAMap) {
  REQUIRE_BPF();
  auto r = trace_grid(R"($p = $g->pairs; printf("pairs %d %d\n", $p[1].a, $p[0].b); print($p[1]);
                         @pair = $p[1]; @pairs[0] = $p; printf("map pair %d\n", @pairs[0][1].b);)");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  expect_lines(r, {"pairs 3 2", "{ .a = 3, .b = 4 }", "map pair 4", "@pair: { .a = 3, .b = 4 }",
                   "@pairs[0]: [{ .a = 1, .b = 2 },{ .a = 3, .b = 4 }]"});
}

TEST(ArrayValues, ThreeDimensionalArrayInAVariableAndAMap) {
  REQUIRE_BPF();
  auto r = trace_grid(R"($z = $g->z; printf("z %d\n", $z[1][0][1]); print($z[1]);
                         @z[1] = $z; printf("map z %d\n", @z[1][1][1][0]);
                         $w = $z[1]; print($w[1]);)");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  expect_lines(
      r, {"z 6", "[[5,6],[7,8]]", "map z 7", "[7,8]", "@z[1]: [[[1,2],[3,4]],[[5,6],[7,8]]]"});
}

TEST(ArrayValues, OutOfBoundsLiteralIndexIsALocatedError) {
  auto r = run_tracelet({"-e", "struct B { int y[2][2]; } BEGIN { $b = ((struct B *)0)->y; "
                               "printf(\"%d\\n\", $b[1][2]); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:75: error: the index 2 is out of bounds for array of size 2\n"
                   "struct B { int y[2][2]; } BEGIN { $b = ((struct B *)0)->y; "
                   "printf(\"%d\\n\", $b[1][2]); }\n"
                   "                                                                          "
                   "^~~~~~~~\n");
}

} // namespace
