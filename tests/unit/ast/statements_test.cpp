// The newer statement forms (issue 3): let and block scopes, for loops over maps and ranges,
// len() and has_key(), true/false, integer widths of variables, maps that assign themselves.
// Types expression by expression, and every error and warning exactly as the CLI prints it.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

#include <ostream>

namespace {

using tracelet::test::analyse;

TEST(Statements, VariablesKeepTheirIntegerWidth) {
  auto a = analyse("BEGIN { $x = (int16)5; $y = 5; $s = sizeof($x); $z = (int8)1; $z = nsecs; "
                   "$w = (uint8)2; $w = (int8)-1; let $d: int16 = 100000; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$x"), "int16");
  EXPECT_EQ(a->type_of("$y"), "int64");
  EXPECT_EQ(a->type_of("$z"), "uint64"); // the widest integer assigned
  EXPECT_EQ(a->type_of("$w"), "uint8");  // the first of equal widths
  EXPECT_EQ(a->type_of("$d"), "int16");  // declared: later values are converted to it
}

TEST(Statements, MapAssignedOnlyFromItselfIsInt64) {
  auto a = analyse("BEGIN { $i = 0; @m[$i % 4] = @m[$i % 4] + $i; @n = @n * 2; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@m[$i % 4] + $i"), "int64");
  EXPECT_EQ(a->type_of("@n"), "int64");
}

TEST(Statements, TrueAndFalseAreIntegers) {
  auto a = analyse("BEGIN { $t = true; $f = false; $s = sizeof(true); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("true"), "int64"); // as bpftrace 0.17: the values 1 and 0
  EXPECT_EQ(a->type_of("$f"), "int64");
}

TEST(Statements, ForLoopVariables) {
  auto a = analyse("BEGIN { @m[1] = \"ab\"; @t[1, \"x\"] = 2; $n = 0; "
                   "for ($kv : @m) { $n += $kv.0; $v = $kv.1; } "
                   "for ($e : @t) { $k = $e.0; $k2 = $e.0.1; } "
                   "for $i : 0..$n { $j = $i; } }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$kv"), "(int64,string[3])");
  EXPECT_EQ(a->type_of("$kv.1"), "string[3]");
  EXPECT_EQ(a->type_of("$e"), "((int64,string[2]),int64)");
  EXPECT_EQ(a->type_of("$e.0.1"), "string[2]");
  EXPECT_EQ(a->type_of("$i"), "int64");
}

TEST(Statements, LenAndHasKey) {
  auto a = analyse("BEGIN { @m[1] = 1; @c[comm] = count(); @t[1, \"x\"] = 2; $a = len(@m); "
                   "$b = has_key(@m, 1); $c = len(@c); $d = has_key(@t, (1, \"x\")); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("len(@m)"), "int64");
  EXPECT_EQ(a->type_of("has_key(@m, 1)"), "uint64");
  EXPECT_EQ(a->type_of("len(@c)"), "int64");
  EXPECT_EQ(a->type_of("has_key(@t, (1, \"x\"))"), "uint64");
}

TEST(Statements, LetScopes) {
  // Two `let $a` in sibling blocks are two variables; a plain assignment in a block is seen
  // after it (bpftrace 0.17's probe scope); a `let` variable read before its first assignment
  // has the type that assignment gives it.
  auto a = analyse("BEGIN { { let $a = 1; $p = $a; } { let $a = \"s\"; } if (1) { $q = 2; } "
                   "$r = $q; let $x; $y = $x; $x = \"ab\"; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$p"), "int64");
  EXPECT_EQ(a->type_of("$r"), "int64");
  EXPECT_EQ(a->type_of("$y"), "string[3]");
  auto w = analyse("BEGIN { let $x; $y = $x; $x = 2; }");
  ASSERT_TRUE(w->ok) << w->errors();
  EXPECT_EQ(w->errors(), "stdin:1:22: warning: $x is read before it is assigned a value (it "
                         "reads as 0)\n"
                         "BEGIN { let $x; $y = $x; $x = 2; }\n"
                         "                     ^~\n");
}

struct DiagnosticCase {
  const char* source;
  const char* expected; // all diagnostics, formatted
};

void PrintTo(const DiagnosticCase& c, std::ostream* os) {
  *os << c.source;
}

class StatementDiagnostics : public testing::TestWithParam<DiagnosticCase> {};

TEST_P(StatementDiagnostics, ReportedExactly) {
  const DiagnosticCase& c = GetParam();
  auto a = tracelet::test::analyse(c.source);
  ASSERT_NE(a->program, nullptr) << "parse failed: " << a->errors();
  bool has_error = std::string(c.expected).find(": error: ") != std::string::npos;
  EXPECT_EQ(a->ok, !has_error);
  EXPECT_EQ(a->errors(), c.expected);
}

const DiagnosticCase kCases[] = {
    {"BEGIN { { let $a = 1; } $b = $a; }", "stdin:1:30: error: undefined variable $a\n"
                                           "BEGIN { { let $a = 1; } $b = $a; }\n"
                                           "                             ^~\n"},
    {"BEGIN { $x = 1; if (1) { let $x = 2; } }",
     "stdin:1:30: error: $x is already declared at stdin:1:9: variable shadowing is not allowed\n"
     "BEGIN { $x = 1; if (1) { let $x = 2; } }\n"
     "                             ^~\n"},
    {"BEGIN { let $x; let $x = 1; }",
     "stdin:1:21: error: $x is already declared at stdin:1:9: variable shadowing is not allowed\n"
     "BEGIN { let $x; let $x = 1; }\n"
     "                    ^~\n"},
    {"BEGIN { print($q); let $q = 1; }", "stdin:1:15: error: undefined variable $q\n"
                                         "BEGIN { print($q); let $q = 1; }\n"
                                         "              ^~\n"},
    {"BEGIN { let $x; printf(\"%d\\n\", $x); }",
     "stdin:1:32: error: $x has no type: nothing is assigned to it (declare one, as in let $x: "
     "int64)\n"
     "BEGIN { let $x; printf(\"%d\\n\", $x); }\n"
     "                               ^~\n"},
    {"BEGIN { let $x; }", "stdin:1:9: warning: $x is declared but never assigned a value\n"
                          "BEGIN { let $x; }\n"
                          "        ^~~~~~\n"},
    {"BEGIN { let $x: int8 = \"s\"; }",
     "stdin:1:24: error: cannot assign string[2] to $x declared as int8\n"
     "BEGIN { let $x: int8 = \"s\"; }\n"
     "                       ^~~\n"},
    {"BEGIN { $i = 1; for $i : 0..3 { } }", "stdin:1:21: error: loop variable $i shadows the "
                                            "variable declared at stdin:1:9: choose another name\n"
                                            "BEGIN { $i = 1; for $i : 0..3 { } }\n"
                                            "                    ^~\n"},
    {"BEGIN { @m[1] = 1; $kv = 1; for ($kv : @m) { } }",
     "stdin:1:34: error: loop variable $kv shadows the variable declared at stdin:1:20: choose "
     "another name\n"
     "BEGIN { @m[1] = 1; $kv = 1; for ($kv : @m) { } }\n"
     "                                 ^~~\n"},
    {"BEGIN { @m = 1; for ($kv : @m) { } }",
     "stdin:1:28: error: for can only iterate over a map with keys, and @m has none\n"
     "BEGIN { @m = 1; for ($kv : @m) { } }\n"
     "                           ^~\n"},
    {"BEGIN { @m[1] = count(); for ($kv : @m) { } }",
     "stdin:1:37: error: for cannot iterate over @m, which holds count values\n"
     "BEGIN { @m[1] = count(); for ($kv : @m) { } }\n"
     "                                    ^~\n"},
    {"BEGIN { for ($kv : @nope) { } }",
     "stdin:1:20: error: undefined map @nope: it is never assigned a value\n"
     "BEGIN { for ($kv : @nope) { } }\n"
     "                   ^~~~~\n"},
    {"BEGIN { for $i : \"a\"..3 { } }",
     "stdin:1:18: error: a range bound must be an integer, not string[2]\n"
     "BEGIN { for $i : \"a\"..3 { } }\n"
     "                 ^~~\n"},
    {"BEGIN { @m[1] = 1; for ($kv : @m) { $y = 1; } print($y); }",
     "stdin:1:53: error: undefined variable $y\n"
     "BEGIN { @m[1] = 1; for ($kv : @m) { $y = 1; } print($y); }\n"
     "                                                    ^~\n"},
    {"BEGIN { for $i : 0..2 { let $z = 1; } print($z); }",
     "stdin:1:45: error: undefined variable $z\n"
     "BEGIN { for $i : 0..2 { let $z = 1; } print($z); }\n"
     "                                            ^~\n"},
    {"BEGIN { for $i : 0..2 { } print($i); }", "stdin:1:33: error: undefined variable $i\n"
                                               "BEGIN { for $i : 0..2 { } print($i); }\n"
                                               "                                ^~\n"},
    {"BEGIN { @s = 1; $n = len(@s); }",
     "stdin:1:26: error: len() needs a map with keys, and @s has none\n"
     "BEGIN { @s = 1; $n = len(@s); }\n"
     "                         ^~\n"},
    {"BEGIN { @m[1] = 1; $n = len(@m[1]); }",
     "stdin:1:29: error: len() takes a whole map, as in len(@m)\n"
     "BEGIN { @m[1] = 1; $n = len(@m[1]); }\n"
     "                            ^~~~~\n"},
    {"BEGIN { @h[1] = hist(1); $n = has_key(@h, 1); }",
     "stdin:1:39: error: has_key() cannot query @h, which holds hist values\n"
     "BEGIN { @h[1] = hist(1); $n = has_key(@h, 1); }\n"
     "                                      ^~\n"},
    {"BEGIN { @m[1] = 1; $n = has_key(@m, \"x\"); }",
     "stdin:1:37: error: map @m is used with key type string[2] here, but with key type int64 at "
     "stdin:1:12\n"
     "BEGIN { @m[1] = 1; $n = has_key(@m, \"x\"); }\n"
     "                                    ^~~\n"},
    {"BEGIN { @m[1] = 1; $n = has_key(1, 2); }",
     "stdin:1:33: error: has_key() takes a map and a key, as in has_key(@m, k)\n"
     "BEGIN { @m[1] = 1; $n = has_key(1, 2); }\n"
     "                                ^\n"},
    {"BEGIN { $n = len(@never); }",
     "stdin:1:18: error: undefined map @never: it is never assigned a value\n"
     "BEGIN { $n = len(@never); }\n"
     "                 ^~~~~~\n"},
    {"BEGIN { @a = @b + 1; }", "stdin:1:14: error: undefined map @b: it is never assigned a value\n"
                               "BEGIN { @a = @b + 1; }\n"
                               "             ^~\n"},
    {"BEGIN { $x += 1; }", "stdin:1:9: error: undefined variable $x\n"
                           "BEGIN { $x += 1; }\n"
                           "        ^~\n"},
    {"BEGIN { $x++; }", "stdin:1:9: error: undefined variable $x\n"
                        "BEGIN { $x++; }\n"
                        "        ^~\n"},
};

INSTANTIATE_TEST_SUITE_P(All, StatementDiagnostics, testing::ValuesIn(kCases));

} // namespace
