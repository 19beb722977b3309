// C definitions in scripts, as parser/c_declarations.cpp reads them: the declaration tree and
// the located errors. bpftrace 0.17 accepts the forms tested here (reference_guide.md, "Struct
// definitions"); typedef at the top level is tracelet's addition.
#include "parse_helpers.h"

#include <gtest/gtest.h>

using namespace tracelet;
using tracelet::testing::parse_text;

namespace {

const ast::CDeclaration& only_decl(const tracelet::testing::ParseResult& r, size_t def = 0) {
  EXPECT_GT(r.program->c_definitions.size(), def);
  EXPECT_EQ(r.program->c_definitions[def].declarations.size(), 1u);
  return r.program->c_definitions[def].declarations[0];
}

TEST(CDeclarations, SemicolonsAreOptionalAfterTheLastMemberAndTheDefinition) {
  auto r = parse_text("struct Foo { int a; char b }\nstruct Bar { long c; };\nBEGIN { }");
  ASSERT_TRUE(r.program) << r.messages();
  ASSERT_EQ(r.program->c_definitions.size(), 2u);
  const auto& foo = only_decl(r, 0);
  ASSERT_TRUE(foo.type.record);
  EXPECT_EQ(foo.type.record->name, "struct Foo");
  ASSERT_EQ(foo.type.record->members.size(), 2u);
  EXPECT_EQ(foo.type.record->members[1].type.name, "char");
  EXPECT_EQ(foo.type.record->members[1].declarators[0].name, "b");
  EXPECT_EQ(only_decl(r, 1).type.record->name, "struct Bar");
  ASSERT_EQ(r.program->probes.size(), 1u);
}

TEST(CDeclarations, MembersArraysBitfieldsPointersAndNesting) {
  auto r = parse_text("struct S {\n"
                      "  unsigned long long int w;\n"
                      "  const char *name, buf[4][8];\n"
                      "  unsigned int lo : 3, : 2, hi : 1 + 2;\n"
                      "  struct { int x; } in;\n"
                      "  union { int u; short v; };\n"
                      "  struct task_struct *task;\n"
                      "  void (*callback)(int, char *);\n"
                      "  int flex[];\n"
                      "}\nBEGIN { }");
  ASSERT_TRUE(r.program) << r.messages();
  const auto& m = only_decl(r).type.record->members;
  ASSERT_EQ(m.size(), 8u);
  EXPECT_EQ(m[0].type.name, "unsigned long");
  EXPECT_EQ(m[1].type.name, "char");
  EXPECT_EQ(m[1].declarators[0].pointers, 1);
  EXPECT_EQ(m[1].declarators[1].dims, (std::vector<uint64_t>{4, 8}));
  ASSERT_EQ(m[2].declarators.size(), 3u);
  EXPECT_EQ(*m[2].declarators[0].bits, 3u);
  EXPECT_EQ(m[2].declarators[1].name, "");
  EXPECT_EQ(*m[2].declarators[2].bits, 3u);
  EXPECT_TRUE(m[3].type.record);
  EXPECT_EQ(m[3].declarators[0].name, "in");
  EXPECT_TRUE(m[4].type.record && m[4].type.record->is_union);
  EXPECT_TRUE(m[4].declarators.empty());
  EXPECT_EQ(m[5].type.name, "struct task_struct");
  EXPECT_EQ(m[6].declarators[0].name, "callback");
  EXPECT_EQ(m[6].declarators[0].pointers, 1);
  EXPECT_EQ(m[7].declarators[0].dims, (std::vector<uint64_t>{0}));
}

TEST(CDeclarations, EnumValuesAndConstantExpressions) {
  auto r = parse_text("enum E { A, B = 5, C, D = (B << 2) | 1, }\n"
                      "struct S { int a[D - 18]; }\nBEGIN { }");
  ASSERT_TRUE(r.program) << r.messages();
  const auto& e = *only_decl(r, 0).type.enumeration;
  EXPECT_EQ(e.name, "enum E");
  ASSERT_EQ(e.values.size(), 4u);
  EXPECT_EQ(e.values[0], (std::pair<std::string, int64_t>{"A", 0}));
  EXPECT_EQ(e.values[2], (std::pair<std::string, int64_t>{"C", 6}));
  EXPECT_EQ(e.values[3], (std::pair<std::string, int64_t>{"D", 21}));
  EXPECT_EQ(only_decl(r, 1).type.record->members[0].declarators[0].dims,
            (std::vector<uint64_t>{3}));
}

TEST(CDeclarations, Typedefs) {
  auto r = parse_text("typedef unsigned int myint;\n"
                      "typedef struct { int a; } anon_t, *anon_p;\nBEGIN { }");
  ASSERT_TRUE(r.program) << r.messages();
  const auto& t = only_decl(r, 0);
  EXPECT_TRUE(t.is_typedef);
  EXPECT_EQ(t.type.name, "unsigned int");
  EXPECT_EQ(t.declarators[0].name, "myint");
  const auto& a = only_decl(r, 1);
  EXPECT_TRUE(a.type.record);
  ASSERT_EQ(a.declarators.size(), 2u);
  EXPECT_EQ(a.declarators[1].pointers, 1);
}

TEST(CDeclarations, CommentsInsideAreSkipped) {
  auto r = parse_text("struct S { // first\n int a; /* second */ long b; }\nBEGIN { }");
  ASSERT_TRUE(r.program) << r.messages();
  EXPECT_EQ(only_decl(r).type.record->members.size(), 2u);
}

TEST(CDeclarations, ErrorsAreLocatedInTheScript) {
  EXPECT_EQ(parse_text("struct S {\n  int a\n  int b;\n}\nBEGIN { }").messages(),
            "stdin:3:3: error: expected ';', found 'int'\n"
            "  int b;\n"
            "  ^~~\n");
  EXPECT_EQ(parse_text("struct S { int a[N]; }\nBEGIN { }").messages(),
            "stdin:1:18: error: unknown constant 'N' in C definition\n"
            "struct S { int a[N]; }\n"
            "                 ^\n");
  EXPECT_EQ(parse_text("struct S { int; }\nBEGIN { }").messages(),
            "stdin:1:15: error: expected a member name, found ';'\n"
            "struct S { int; }\n"
            "              ^\n");
  EXPECT_EQ(parse_text("typedef int;\nBEGIN { }").messages(),
            "stdin:1:12: error: expected the typedef's name, found ';'\n"
            "typedef int;\n"
            "           ^\n");
  EXPECT_EQ(parse_text("typedef int x\nBEGIN { }").messages(),
            "stdin:1:1: error: unterminated typedef: missing ;\n"
            "typedef int x\n"
            "^~~~~~~~\n");
}

} // namespace
