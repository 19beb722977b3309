// Layout of the C definitions in scripts (ast/passes/script_types.cpp). The expected sizes and
// offsets are gcc's for the same definitions on x86-64 (offsetof/sizeof), which bpftrace 0.17
// also gives (differential cases 500-509).
#include "ast/passes/script_types.h"
#include "parser/driver.h"
#include "semantic_fixture.h"

#include <gtest/gtest.h>

using namespace tracelet;

namespace {

struct Defined {
  Diagnostics diags;
  std::unique_ptr<ast::Program> program;
  test::FakeKernel kernel;
  std::unique_ptr<ast::passes::ScriptTypes> types;
  std::string errors() const {
    std::ostringstream out;
    diags.print(out);
    return out.str();
  }
};

std::unique_ptr<Defined> define(const std::string& defs) {
  auto d = std::make_unique<Defined>();
  d->program = parser::parse("-e", defs + "\nBEGIN { }", d->diags);
  d->types = std::make_unique<ast::passes::ScriptTypes>(d->kernel);
  if (d->program) d->types->define(*d->program, d->diags);
  return d;
}

uint64_t offset(const ast::RecordDef& r, const std::string& name) {
  const ast::Field* f = r.find(name);
  EXPECT_TRUE(f) << name;
  return f ? f->offset : ~0ull;
}

TEST(ScriptTypes, StructLayoutFollowsC) {
  auto d = define("struct Foo { int a; char b; long c[2][3]; struct { int x; int y; } in; "
                  "union { int u; char v[8]; }; unsigned int bf1:3, bf2:5; "
                  "struct task_struct *t; }");
  ASSERT_EQ(d->diags.error_count(), 0) << d->errors();
  auto foo = d->types->kernel_record("struct Foo");
  ASSERT_TRUE(foo);
  EXPECT_EQ(foo->size, 88u);
  EXPECT_EQ(offset(*foo, "c"), 8u);
  EXPECT_EQ(offset(*foo, "in"), 56u);
  EXPECT_EQ(offset(*foo, "u"), 64u); // anonymous union: its members are Foo's
  EXPECT_EQ(offset(*foo, "v"), 64u);
  EXPECT_EQ(offset(*foo, "t"), 80u);
  EXPECT_EQ(foo->find("c")->type->str(), "int64[3][2]");
  EXPECT_EQ(foo->find("v")->type->str(), "string[8]");
  EXPECT_EQ(foo->find("t")->type->str(), "struct task_struct *");
  const ast::Field* bf2 = foo->find("bf2");
  ASSERT_TRUE(bf2);
  EXPECT_EQ(bf2->offset, 72u);
  EXPECT_EQ(bf2->bitfield_shift, 3u);
  EXPECT_EQ(bf2->bitfield_bits, 5u);
}

TEST(ScriptTypes, BitfieldsDoNotStraddleTheirUnit) {
  auto d = define("struct B { char a; unsigned int x:3; unsigned int y:30; char z; short s:4; }");
  ASSERT_EQ(d->diags.error_count(), 0) << d->errors();
  auto b = d->types->kernel_record("struct B");
  EXPECT_EQ(b->size, 12u);
  EXPECT_EQ(offset(*b, "x"), 1u);
  EXPECT_EQ(offset(*b, "y"), 4u); // 30 bits do not fit after bit 11 of the first int
  EXPECT_EQ(offset(*b, "z"), 8u);
  EXPECT_EQ(offset(*b, "s"), 9u); // shares z's short unit
}

TEST(ScriptTypes, UnionsAndNestedAlignment) {
  auto d = define("union U { int a; char b[7]; }\n"
                  "struct P { char c; struct { char d; short e; } n; char f[3]; }");
  ASSERT_EQ(d->diags.error_count(), 0) << d->errors();
  EXPECT_EQ(d->types->kernel_record("union U")->size, 8u);
  auto p = d->types->kernel_record("struct P");
  EXPECT_EQ(p->size, 10u);
  EXPECT_EQ(offset(*p, "n"), 2u);
  EXPECT_EQ(offset(*p, "f"), 6u);
}

TEST(ScriptTypes, TypedefsEnumsAndSelfReference) {
  auto d = define("enum Color { RED, GREEN = 5, BLUE }\n"
                  "typedef struct node { struct node *next; enum Color c; } node_t;\n"
                  "typedef unsigned short u16_t;");
  ASSERT_EQ(d->diags.error_count(), 0) << d->errors();
  EXPECT_EQ(d->types->kernel_constant("BLUE", {}), 6);
  EXPECT_EQ(d->types->kernel_type("enum Color")->str(), "uint32");
  EXPECT_EQ(d->types->kernel_type("u16_t")->str(), "uint16");
  auto node = d->types->kernel_type("node_t");
  ASSERT_TRUE(node);
  EXPECT_EQ(node->str(), "struct node");
  EXPECT_EQ(node->size(), 16u);
  EXPECT_EQ(node->record->find("next")->type->str(), "struct node *");
}

TEST(ScriptTypes, ErrorsAreLocated) {
  auto d = define("struct S { float f; struct nowhere n; mystery_t m; int b : 40; }");
  EXPECT_EQ(d->errors(),
            "stdin:1:12: error: floating-point types are not supported in C definitions\n"
            "struct S { float f; struct nowhere n; mystery_t m; int b : 40; }\n"
            "           ^~~~~\n"
            "stdin:1:36: error: 'n' has incomplete type struct nowhere\n"
            "struct S { float f; struct nowhere n; mystery_t m; int b : 40; }\n"
            "                                   ^\n"
            "stdin:1:39: error: unknown type 'mystery_t' in C definition\n"
            "struct S { float f; struct nowhere n; mystery_t m; int b : 40; }\n"
            "                                      ^~~~~~~~~\n"
            "stdin:1:56: error: bitfield 'b' is wider than its type\n"
            "struct S { float f; struct nowhere n; mystery_t m; int b : 40; }\n"
            "                                                       ^~~~~~\n");
}

} // namespace
