// Syntax and lexical errors: the exact message, with the quoted line and the caret under the
// offending token, and recovery that reports several errors in one run.
#include "parse_helpers.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;

namespace {

// Parses `text` as a one-liner, expects it to fail, and returns every message.
std::string errors_of(const std::string& text) {
  auto r = parse_text(text);
  EXPECT_EQ(r.program, nullptr) << "parsed although an error was expected:\n" << text;
  EXPECT_TRUE(r.diags.has_errors());
  return r.messages();
}

} // namespace

TEST(SyntaxErrors, MissingSemicolonBetweenStatements) {
  EXPECT_EQ(errors_of("BEGIN { $x = 1 $y = 2 }"),
            "stdin:1:16: error: syntax error, unexpected variable '$y', expecting } or ;\n"
            "BEGIN { $x = 1 $y = 2 }\n"
            "               ^~\n");
}

TEST(SyntaxErrors, ExtraClosingBrace) {
  EXPECT_EQ(errors_of("BEGIN { printf(\"hi\") }}"),
            "stdin:1:23: error: syntax error, unexpected }, expecting end of file or attach "
            "point or C definition\n"
            "BEGIN { printf(\"hi\") }}\n"
            "                      ^\n");
}

TEST(SyntaxErrors, MissingExpression) {
  EXPECT_EQ(errors_of("BEGIN { @x = ; }"),
            "stdin:1:14: error: syntax error, unexpected ;, expecting expression\n"
            "BEGIN { @x = ; }\n"
            "             ^\n");
}

TEST(SyntaxErrors, IfWithoutParentheses) {
  EXPECT_EQ(errors_of("BEGIN { if 1 { exit() } }"),
            "stdin:1:12: error: syntax error, unexpected integer, expecting (\n"
            "BEGIN { if 1 { exit() } }\n"
            "           ^\n");
}

TEST(SyntaxErrors, UnclosedCall) {
  EXPECT_EQ(errors_of("BEGIN { printf(\"%d\", 1 }"),
            "stdin:1:24: error: syntax error, unexpected }, expecting ) or ,\n"
            "BEGIN { printf(\"%d\", 1 }\n"
            "                       ^\n");
}

TEST(SyntaxErrors, UnclosedMapKey) {
  EXPECT_EQ(errors_of("BEGIN { @a[1 = 2; }"),
            "stdin:1:14: error: syntax error, unexpected =, expecting ] or ,\n"
            "BEGIN { @a[1 = 2; }\n"
            "             ^\n");
}

TEST(SyntaxErrors, ProbeWithoutBody) {
  EXPECT_EQ(errors_of("BEGIN"), "stdin:1:6: error: syntax error, unexpected end of file, "
                                "expecting { or ,\n"
                                "BEGIN\n"
                                "     ^\n");
}

TEST(SyntaxErrors, AttachPointsWithoutComma) {
  EXPECT_EQ(errors_of("BEGIN END { }"),
            "stdin:1:7: error: syntax error, unexpected attach point 'END', expecting { or ,\n"
            "BEGIN END { }\n"
            "      ^~~\n");
}

TEST(SyntaxErrors, UnclosedBodyAtEndOfFile) {
  EXPECT_EQ(errors_of("BEGIN {\n  exit();\n"),
            "stdin:3:1: error: syntax error, unexpected end of file, expecting statement or } "
            "or ;\n"
            "\n"
            "^\n");
}

TEST(SyntaxErrors, MissingTypeInLet) {
  EXPECT_EQ(errors_of("BEGIN { let $x: = 1; }"),
            "stdin:1:17: error: syntax error, unexpected =, expecting type\n"
            "BEGIN { let $x: = 1; }\n"
            "                ^\n");
}

TEST(SyntaxErrors, RangeLoopWithoutDots) {
  EXPECT_EQ(errors_of("BEGIN { for $i : 5 { } }"),
            "stdin:1:20: error: syntax error, unexpected {, expecting ..\n"
            "BEGIN { for $i : 5 { } }\n"
            "                   ^\n");
}

TEST(LexicalErrors, InvalidCharacter) {
  EXPECT_EQ(errors_of("BEGIN { $x = 1; ` }"), "stdin:1:17: error: invalid character '`'\n"
                                              "BEGIN { $x = 1; ` }\n"
                                              "                ^\n");
}

TEST(LexicalErrors, UnterminatedString) {
  std::string out = errors_of("BEGIN { printf(\"abc); }");
  EXPECT_EQ(out.substr(0, out.find('\n', out.find('\n', out.find('\n') + 1) + 1) + 1),
            "stdin:1:16: error: unterminated string\n"
            "BEGIN { printf(\"abc); }\n"
            "               ^~~~~~~~\n");
}

TEST(LexicalErrors, UnterminatedComment) {
  std::string out = errors_of("BEGIN { /* no end\n exit(); }");
  EXPECT_EQ(out.substr(0, out.find("^") + out.substr(out.find("^")).find('\n') + 1),
            "stdin:1:9: error: unterminated comment\n"
            "BEGIN { /* no end\n"
            "        ^~\n");
}

TEST(LexicalErrors, IntegerOutOfRange) {
  EXPECT_EQ(errors_of("BEGIN { @ = 18446744073709551616 }"),
            "stdin:1:13: error: integer literal out of range: 18446744073709551616\n"
            "BEGIN { @ = 18446744073709551616 }\n"
            "            ^~~~~~~~~~~~~~~~~~~~\n");
}

TEST(LexicalErrors, BadOctalAndSuffix) {
  EXPECT_EQ(errors_of("BEGIN { @ = 09 + 12abc }"),
            "stdin:1:13: error: invalid digit '9' in octal literal: 09\n"
            "BEGIN { @ = 09 + 12abc }\n"
            "            ^~\n"
            "stdin:1:18: error: invalid integer literal: 12abc\n"
            "BEGIN { @ = 09 + 12abc }\n"
            "                 ^~~~~\n");
}

TEST(LexicalErrors, InvalidEscapeIsLocatedInsideTheString) {
  EXPECT_EQ(errors_of(R"(BEGIN { printf("a\qb") })"),
            "stdin:1:18: error: invalid escape sequence '\\q'\n"
            "BEGIN { printf(\"a\\qb\") }\n"
            "                 ^~\n");
}

TEST(PreprocessorErrors, UnknownDirectiveAndMissingEndif) {
  EXPECT_EQ(errors_of("#foo once\n#ifdef X\nBEGIN { }\n"),
            "stdin:1:1: error: unknown preprocessor directive '#foo'\n"
            "#foo once\n"
            "^~~~~~~~~\n"
            "stdin:2:1: error: unterminated conditional directive: missing #endif\n"
            "#ifdef X\n"
            "^~~~~~~~\n");
}

TEST(PreprocessorErrors, ElseWithoutIfAndBadCondition) {
  EXPECT_EQ(errors_of("#elif 1\n#if 1 +\n#endif\nBEGIN { }\n"),
            "stdin:1:1: error: #elif without #if\n"
            "#elif 1\n"
            "^~~~~~~\n"
            "stdin:2:8: error: expected a constant, found end of definition\n"
            "#if 1 +\n"
            "       ^\n");
}

TEST(PreprocessorErrors, MalformedInclude) {
  EXPECT_EQ(errors_of("#include linux/sched.h\nBEGIN { }"),
            "stdin:1:1: error: malformed #include: expected <header.h> or \"header.h\"\n"
            "#include linux/sched.h\n"
            "^~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(SyntaxErrors, UnterminatedCDefinition) {
  // As in bpftrace, the `;` after a definition is optional (c_declarations_test.cpp); a
  // missing `}` is an error.
  EXPECT_EQ(errors_of("struct s { int a;\nBEGIN { }"),
            "stdin:1:1: error: unterminated C definition: missing }\n"
            "struct s { int a;\n"
            "^~~~~~~~~~\n");
}

TEST(ErrorRecovery, SeveralErrorsInOneRun) {
  std::string text = "BEGIN { $x = 1; }\n"
                     "END { @x = (1 + ; @y = 2 }\n"
                     "kprobe:f { foo( }\n"
                     "i:s:1 { $a = 1 $b = 2; @ok = 1; @bad = ; }\n"
                     "t:a:b { $s = 1 ` }\n";
  auto r = parse_text(text);
  EXPECT_EQ(r.program, nullptr);
  ASSERT_EQ(r.diags.error_count(), 5) << r.messages();
  auto& all = r.diags.all();
  EXPECT_EQ(all[0].loc.line, 2);
  EXPECT_EQ(all[0].loc.col, 17);
  EXPECT_EQ(all[0].message, "syntax error, unexpected ;, expecting expression");
  EXPECT_EQ(all[1].loc.line, 3);
  EXPECT_EQ(all[1].loc.col, 17);
  EXPECT_EQ(all[2].loc.line, 4);
  EXPECT_EQ(all[2].loc.col, 16);
  EXPECT_EQ(all[3].loc.line, 4);
  EXPECT_EQ(all[3].loc.col, 40);
  EXPECT_EQ(all[4].loc.line, 5);
  EXPECT_EQ(all[4].message, "invalid character '`'");
}

TEST(ErrorRecovery, ErrorsAreAddedToExistingDiagnostics) {
  Diagnostics diags;
  EXPECT_EQ(parser::parse("a.bt", "BEGIN { @ = ; }", diags), nullptr);
  EXPECT_NE(parser::parse("b.bt", "BEGIN { @ = 1; }", diags), nullptr)
      << "a clean program parses although earlier errors are pending";
  EXPECT_EQ(diags.error_count(), 1);
  EXPECT_EQ(diags.all()[0].loc.filename(), "a.bt");
}

TEST(LexicalErrors, NonAsciiCharacterIsOneError) {
  auto r = parse_text("BEGIN { $x = 1; \xc3\x97 printf(\"\xc3\xa9\\n\"); } // \xc3\xbc");
  EXPECT_EQ(r.program, nullptr);
  ASSERT_EQ(r.diags.error_count(), 1) << r.messages();
  EXPECT_EQ(r.diags.all()[0].message,
            "invalid character: only ASCII is allowed outside strings and comments");
  EXPECT_EQ(r.diags.all()[0].loc.col, 17);
}

TEST(ErrorRecovery, NoCascadeAfterAnErrorInsideABlockHeader) {
  // Recovery skips the `{` of the if block; its `}` must not be reported as a second error.
  auto r = parse_text("BEGIN { if (x +) { @a = 1; } @b = 2; } END { @c = ; }");
  ASSERT_EQ(r.diags.error_count(), 2) << r.messages();
  EXPECT_EQ(r.diags.all()[0].loc.col, 16);
  EXPECT_EQ(r.diags.all()[1].loc.col, 51);
}

TEST(ErrorRecovery, EveryBadStatementOfABlockIsReported) {
  auto r = parse_text("BEGIN { @x = ; @y = ; @z = ; }");
  ASSERT_EQ(r.diags.error_count(), 3) << r.messages();
  EXPECT_EQ(r.diags.all()[0].loc.col, 14);
  EXPECT_EQ(r.diags.all()[1].loc.col, 21);
  EXPECT_EQ(r.diags.all()[2].loc.col, 28);
}
