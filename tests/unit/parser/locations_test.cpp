// Every node carries its full source range; the file name is shared by all locations.
#include "parse_helpers.h"

#include <gtest/gtest.h>

using namespace tracelet;
using namespace tracelet::testing;

namespace {

struct Range {
  int line, col, end_line, end_col;
};

void expect_range(const Location& loc, Range r, const char* what) {
  EXPECT_EQ(loc.line, r.line) << what;
  EXPECT_EQ(loc.col, r.col) << what;
  EXPECT_EQ(loc.end_line, r.end_line) << what;
  EXPECT_EQ(loc.end_col, r.end_col) << what;
}

// Checks that every node's range lies within its file and is well ordered.
class RangeChecker : public ast::Visitor {
public:
  explicit RangeChecker(const std::shared_ptr<const std::string>& file) : file_(file) {}
  using ast::Visitor::visit;
  int nodes = 0;
#define CHECK_NODE(T)                                                                              \
  void visit(ast::T& n) override {                                                                 \
    check(n.loc, #T);                                                                              \
    ast::Visitor::visit(n);                                                                        \
  }
  CHECK_NODE(Integer)
  CHECK_NODE(String)
  CHECK_NODE(Builtin)
  CHECK_NODE(Call)
  CHECK_NODE(Map)
  CHECK_NODE(Variable)
  CHECK_NODE(Binary)
  CHECK_NODE(Unary)
  CHECK_NODE(FieldAccess)
  CHECK_NODE(Cast)
  CHECK_NODE(ExprStmt)
  CHECK_NODE(AssignMap)
  CHECK_NODE(AssignVar)
  CHECK_NODE(If)
  CHECK_NODE(AttachPoint)
  CHECK_NODE(Probe)
#undef CHECK_NODE

private:
  void check(const Location& loc, const char* what) {
    ++nodes;
    EXPECT_EQ(loc.file.get(), file_.get()) << what << " does not share the file name";
    EXPECT_GE(loc.line, 1) << what;
    EXPECT_GE(loc.col, 1) << what;
    EXPECT_TRUE(loc.end_line > loc.line || (loc.end_line == loc.line && loc.end_col > loc.col))
        << what << " has an empty or reversed range";
  }
  std::shared_ptr<const std::string> file_;
};

} // namespace

TEST(Locations, ExpressionRanges) {
  //                    1234567890123456789012345678901
  auto r = parse_text("BEGIN { @m[pid] = (uint8)1 + x->y; }");
  ASSERT_TRUE(r.program) << r.messages();
  auto& probe = *r.program->probes.at(0);
  expect_range(probe.loc, {1, 1, 1, 37}, "probe");
  expect_range(probe.attach_points.at(0)->loc, {1, 1, 1, 6}, "attach point");
  expect_range(probe.body.loc, {1, 7, 1, 37}, "body");
  auto* assign = dynamic_cast<ast::AssignMap*>(probe.body.stmts.at(0).get());
  ASSERT_NE(assign, nullptr);
  expect_range(assign->loc, {1, 9, 1, 34}, "assignment");
  expect_range(assign->map->loc, {1, 9, 1, 16}, "map");
  expect_range(assign->map->keys.at(0)->loc, {1, 12, 1, 15}, "key");
  auto* add = dynamic_cast<ast::Binary*>(assign->value.get());
  ASSERT_NE(add, nullptr);
  expect_range(add->loc, {1, 19, 1, 34}, "binary");
  expect_range(add->lhs->loc, {1, 19, 1, 27}, "cast");
  expect_range(add->rhs->loc, {1, 30, 1, 34}, "field access");
  EXPECT_EQ(probe.loc.filename(), "stdin");
}

TEST(Locations, MultiLineRanges) {
  std::string text = "BEGIN\n{\n  if (1) {\n    exit();\n  }\n}\n";
  auto r = parse_text(text, "prog.bt");
  ASSERT_TRUE(r.program) << r.messages();
  auto& probe = *r.program->probes.at(0);
  expect_range(probe.loc, {1, 1, 6, 2}, "probe");
  auto* if_stmt = dynamic_cast<ast::If*>(probe.body.stmts.at(0).get());
  ASSERT_NE(if_stmt, nullptr);
  expect_range(if_stmt->loc, {3, 3, 5, 4}, "if");
  expect_range(if_stmt->then_block.loc, {3, 10, 5, 4}, "then block");
  EXPECT_EQ(probe.loc.filename(), "prog.bt");
}

TEST(Locations, CDefinitionAndPreprocessedLinesKeepPositions) {
  std::string text = "#!/usr/bin/env bpftrace\n#include <linux/a.h>\nstruct s {\n int a;\n};\n"
                     "#ifdef NOPE\nignored\n#endif\nBEGIN { $x = 1 }\n";
  auto r = parse_text(text);
  ASSERT_TRUE(r.program) << r.messages();
  ASSERT_EQ(r.program->c_definitions.size(), 1u);
  EXPECT_EQ(r.program->c_definitions[0].text, "struct s {\n int a;\n};");
  expect_range(r.program->c_definitions[0].loc, {3, 1, 5, 3}, "c definition");
  expect_range(r.program->probes.at(0)->loc, {9, 1, 9, 17}, "probe after directives");
  EXPECT_EQ(r.program->includes, std::vector<std::string>{"linux/a.h"});
}

TEST(Locations, EveryNodeHasARangeInTheSharedFile) {
  std::string text =
      read_file(std::string(TRACELET_SOURCE_DIR) + "/tests/golden/parser/tools_style.bt");
  auto r = parse_text(text, "tools_style.bt");
  ASSERT_TRUE(r.program) << r.messages();
  RangeChecker checker(r.program->probes.at(0)->loc.file);
  checker.visit(*r.program);
  EXPECT_GT(checker.nodes, 50);
}
