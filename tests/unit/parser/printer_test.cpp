// The AST dump shows what later passes add: expression types and expanded attach points.
#include "parse_helpers.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;

TEST(Printer, UntypedTreeHasNoTypeSuffix) {
  EXPECT_EQ(dump_text("BEGIN { @x[1] = pid + 2 }"), "Program\n"
                                                    " probe\n"
                                                    "  attach: BEGIN\n"
                                                    "  =\n"
                                                    "   map: @x\n"
                                                    "    int: 1\n"
                                                    "   +\n"
                                                    "    builtin: pid\n"
                                                    "    int: 2\n");
}

TEST(Printer, ShowsTypesOnceInferred) {
  auto r = parse_text("t:syscalls:sys_enter_* /pid/ { @x[comm] = pid + 2 }");
  ASSERT_TRUE(r.program) << r.messages();
  auto& probe = *r.program->probes.at(0);
  probe.predicate->type = ast::Type::integer(4, false);
  auto* assign = dynamic_cast<ast::AssignMap*>(probe.body.stmts.at(0).get());
  ASSERT_NE(assign, nullptr);
  assign->map->type = ast::Type::i64();
  assign->map->keys.at(0)->type = ast::Type::string(16);
  auto* add = dynamic_cast<ast::Binary*>(assign->value.get());
  add->type = ast::Type::i64();
  add->lhs->type = ast::Type::integer(4, false);
  add->rhs->type = ast::Type::i64();
  for (const char* name : {"sys_enter_read", "sys_enter_write"}) {
    auto ap = std::make_unique<ast::AttachPoint>();
    ap->provider = "tracepoint";
    ap->target = "syscalls";
    ap->func = name;
    probe.expanded.push_back(std::move(ap));
  }
  EXPECT_EQ(dump(*r.program), "Program\n"
                              " probe\n"
                              "  attach: t:syscalls:sys_enter_*\n"
                              "  expanded: tracepoint:syscalls:sys_enter_read\n"
                              "  expanded: tracepoint:syscalls:sys_enter_write\n"
                              "  pred\n"
                              "   builtin: pid :: " +
                                  ast::Type::integer(4, false).str() +
                                  "\n"
                                  "  =\n"
                                  "   map: @x :: int64\n"
                                  "    builtin: comm :: " +
                                  ast::Type::string(16).str() +
                                  "\n"
                                  "   + :: int64\n"
                                  "    builtin: pid :: " +
                                  ast::Type::integer(4, false).str() +
                                  "\n"
                                  "    int: 2 :: int64\n");
}

TEST(Printer, EscapesStringsAndShowsCDefinitionsLineByLine) {
  auto r = parse_text("struct a {\n int x;\n};\nBEGIN { printf(\"q\\\"\\x01\\n\") }");
  ASSERT_TRUE(r.program) << r.messages();
  EXPECT_EQ(dump(*r.program), "Program\n"
                              " c definition\n"
                              "  struct a {\n"
                              "   int x;\n"
                              "  };\n"
                              " probe\n"
                              "  attach: BEGIN\n"
                              "  call: printf\n"
                              "   string: q\\\"\\x01\\n\n");
}

TEST(Printer, IsDeterministic) {
  std::string text =
      read_file(std::string(TRACELET_SOURCE_DIR) + "/tests/golden/parser/tools_style.bt");
  EXPECT_EQ(dump_text(text), dump_text(text));
}
