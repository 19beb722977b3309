// Lexer tests: literal decoding directly, and tokens as they come out through parse().
#include "lexer/literals.h"
#include "parse_helpers.h"
#include "parser/syntax.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;
using tracelet::lexer::decode_string;
using tracelet::lexer::parse_integer;

namespace {

// The value of the only statement of `BEGIN { @ = <expr> }`.
ast::Expr& assigned_value(ast::Program& p) {
  auto* assign = dynamic_cast<ast::AssignMap*>(p.probes.at(0)->body.stmts.at(0).get());
  EXPECT_NE(assign, nullptr);
  return *assign->value;
}

uint64_t integer_value(const std::string& literal) {
  auto r = parse_text("BEGIN { @ = " + literal + " }");
  EXPECT_TRUE(r.program) << r.messages();
  if (!r.program) return ~0ull;
  auto* i = dynamic_cast<ast::Integer*>(&assigned_value(*r.program));
  EXPECT_NE(i, nullptr) << literal;
  return i ? i->value : ~0ull;
}

} // namespace

TEST(IntegerLiteral, Bases) {
  EXPECT_EQ(parse_integer("0").value, 0u);
  EXPECT_EQ(parse_integer("42").value, 42u);
  EXPECT_EQ(parse_integer("0x2a").value, 42u);
  EXPECT_EQ(parse_integer("0XFF").value, 255u);
  EXPECT_EQ(parse_integer("052").value, 42u);
  EXPECT_EQ(parse_integer("1_000_000").value, 1000000u);
  EXPECT_EQ(parse_integer("5e3").value, 5000u);
  EXPECT_EQ(parse_integer("0e9").value, 0u);
}

TEST(IntegerLiteral, SuffixesAreIgnored) {
  for (const char* s : {"7u", "7U", "7l", "7ul", "7ull", "7LL", "7uLL"}) {
    auto r = parse_integer(s);
    EXPECT_TRUE(r.ok) << s;
    EXPECT_EQ(r.value, 7u) << s;
  }
}

TEST(IntegerLiteral, Limits) {
  EXPECT_EQ(parse_integer("18446744073709551615").value, 18446744073709551615ull);
  EXPECT_TRUE(parse_integer("0xffffffffffffffff").ok);
  auto over = parse_integer("18446744073709551616");
  EXPECT_FALSE(over.ok);
  EXPECT_EQ(over.error, "integer literal out of range");
  EXPECT_FALSE(parse_integer("0x10000000000000000").ok);
  // As bpftrace 0.17: one digit before the `e`, an exponent of at most 16.
  EXPECT_EQ(parse_integer("9e16").value, 90000000000000000u);
  auto coefficient = parse_integer("10e2");
  EXPECT_FALSE(coefficient.ok);
  EXPECT_EQ(coefficient.error,
            "the digit before 'e' of a scientific literal must be 0 to 9, not 10");
  auto exponent = parse_integer("1e17");
  EXPECT_FALSE(exponent.ok);
  EXPECT_EQ(exponent.error, "the exponent of a scientific literal must be at most 16, not 17");
  auto octal = parse_integer("08");
  EXPECT_FALSE(octal.ok);
  EXPECT_EQ(octal.error, "invalid digit '8' in octal literal");
}

TEST(StringLiteral, Escapes) {
  EXPECT_EQ(decode_string(R"(a\nb\tc)").value, "a\nb\tc");
  EXPECT_EQ(decode_string(R"(\\ \" \')").value, "\\ \" '");
  EXPECT_EQ(decode_string(R"(\x41\x4a\x7)").value, "AJ\x07");
  EXPECT_EQ(decode_string(R"(\101\60\0)").value, std::string("A0\0", 3));
  EXPECT_EQ(decode_string(R"(\1234)").value, "S4"); // at most three octal digits
  EXPECT_EQ(decode_string("").value, "");
}

TEST(StringLiteral, BadEscapes) {
  auto q = decode_string(R"(ab\q)");
  EXPECT_FALSE(q.ok);
  EXPECT_EQ(q.error, "invalid escape sequence '\\q'");
  EXPECT_EQ(q.error_offset, 2u);
  EXPECT_FALSE(decode_string(R"(\xZZ)").ok);
  EXPECT_FALSE(decode_string(R"(\777)").ok);
}

TEST(Lexer, IntegersThroughTheParser) {
  EXPECT_EQ(integer_value("0x10"), 16u);
  EXPECT_EQ(integer_value("010"), 8u);
  EXPECT_EQ(integer_value("1_024"), 1024u);
  EXPECT_EQ(integer_value("2e3"), 2000u);
  EXPECT_EQ(integer_value("99ul"), 99u);
  EXPECT_EQ(integer_value("true"), 1u);
  EXPECT_EQ(integer_value("false"), 0u);
}

TEST(Lexer, NegativeLiteralIsUnaryMinus) {
  auto r = parse_text("BEGIN { @ = -5 }");
  ASSERT_TRUE(r.program) << r.messages();
  auto* neg = dynamic_cast<ast::Unary*>(&assigned_value(*r.program));
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(neg->op, ast::UnaryOp::Neg);
  EXPECT_EQ(dynamic_cast<ast::Integer*>(neg->operand.get())->value, 5u);
}

TEST(Lexer, StringValueIsDecoded) {
  auto r = parse_text(R"(BEGIN { @ = "a\tb\x21\n" })");
  ASSERT_TRUE(r.program) << r.messages();
  auto* s = dynamic_cast<ast::String*>(&assigned_value(*r.program));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, "a\tb!\n");
}

TEST(Lexer, PositionalParameters) {
  auto r = parse_text("BEGIN { @ = ($1, $12, $#) }");
  ASSERT_TRUE(r.program) << r.messages();
  auto* t = dynamic_cast<ast::Tuple*>(&assigned_value(*r.program));
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->elems.size(), 3u);
  auto* p1 = dynamic_cast<ast::PositionalParam*>(t->elems[0].get());
  auto* p12 = dynamic_cast<ast::PositionalParam*>(t->elems[1].get());
  auto* count = dynamic_cast<ast::PositionalParam*>(t->elems[2].get());
  ASSERT_TRUE(p1 && p12 && count);
  EXPECT_EQ(p1->index, 1);
  EXPECT_FALSE(p1->is_count);
  EXPECT_EQ(p12->index, 12);
  EXPECT_TRUE(count->is_count);
}

TEST(Lexer, IdentifierBeforeParenIsCallOtherwiseBuiltin) {
  auto r = parse_text("BEGIN { @ = (pid, kstack(perf), comm ) }");
  ASSERT_TRUE(r.program) << r.messages();
  auto* t = dynamic_cast<ast::Tuple*>(&assigned_value(*r.program));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(dynamic_cast<ast::Builtin*>(t->elems[0].get())->name, "pid");
  auto* call = dynamic_cast<ast::Call*>(t->elems[1].get());
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->func, "kstack");
  EXPECT_EQ(dynamic_cast<ast::Builtin*>(call->args.at(0).get())->name, "perf");
  EXPECT_EQ(dynamic_cast<ast::Builtin*>(t->elems[2].get())->name, "comm");
}

TEST(Lexer, CommentsAreSkippedEverywhere) {
  std::string with =
      "// head\nBEGIN /* c */ , END // x\n/* multi\nline */ { /* a */ @x = /* b */ 1 "
      "// c\n; @y = 2 }";
  std::string without = "BEGIN, END { @x = 1; @y = 2 }";
  EXPECT_EQ(dump_text(with), dump_text(without));
}

TEST(Lexer, DivisionInsidePredicate) {
  // Only the `/` followed by the body's `{` closes the predicate.
  auto r = parse_text("i:s:1 /10 / 2 == 5/ { exit() }");
  ASSERT_TRUE(r.program) << r.messages();
  auto* eq = dynamic_cast<ast::Binary*>(r.program->probes.at(0)->predicate.get());
  ASSERT_NE(eq, nullptr);
  EXPECT_EQ(eq->op, ast::BinaryOp::Eq);
  auto* div = dynamic_cast<ast::Binary*>(eq->lhs.get());
  ASSERT_NE(div, nullptr);
  EXPECT_EQ(div->op, ast::BinaryOp::Div);
}

TEST(AttachPointText, SplitOnColonsOutsideQuotes) {
  using parser::split_attach_point;
  using V = std::vector<std::string>;
  EXPECT_EQ(split_attach_point("BEGIN"), V{"BEGIN"});
  EXPECT_EQ(split_attach_point("tracepoint:syscalls:sys_enter_*"),
            (V{"tracepoint", "syscalls", "sys_enter_*"}));
  EXPECT_EQ(split_attach_point("kprobe:do_sys_open+10"), (V{"kprobe", "do_sys_open+10"}));
  EXPECT_EQ(split_attach_point("uprobe:\"/a b/c:d\":fn"), (V{"uprobe", "/a b/c:d", "fn"}));
  EXPECT_EQ(split_attach_point("uprobe:/bin/x:\"quoted sym\""),
            (V{"uprobe", "/bin/x", "quoted sym"}));
  EXPECT_EQ(split_attach_point("usdt:/path:prov:probe"), (V{"usdt", "/path", "prov", "probe"}));
}

TEST(AttachPointText, RawAndPartsFromTheParser) {
  auto r = parse_text("uprobe:\"/opt/my app/bin\":main, ur:/lib/libc.so.6:malloc { }");
  ASSERT_TRUE(r.program) << r.messages();
  auto& aps = r.program->probes.at(0)->attach_points;
  ASSERT_EQ(aps.size(), 2u);
  EXPECT_EQ(aps[0]->raw, "uprobe:\"/opt/my app/bin\":main");
  EXPECT_EQ(aps[0]->parts, (std::vector<std::string>{"uprobe", "/opt/my app/bin", "main"}));
  EXPECT_EQ(aps[1]->raw, "ur:/lib/libc.so.6:malloc");
  EXPECT_EQ(aps[1]->parts.size(), 3u);
  EXPECT_TRUE(aps[0]->provider.empty()); // filled by the attach-point pass, not the parser
}
