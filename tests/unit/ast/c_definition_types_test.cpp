// Type rules for the C definitions of a script: casts, field chains, sizeof, enumerators,
// typedefs, and structs/arrays as values (maps, tuples, print, ==), with their errors.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;

const char* kDefs = "struct In { char c; short s; }\n"
                    "struct Foo { char s[6]; unsigned int lo:4, hi:12; struct In in; "
                    "struct In ins[2]; unsigned char a[3]; int *p; }\n"
                    "enum Color { RED, GREEN = 5, BLUE }\n"
                    "typedef struct Foo foo_t;\n";

TEST(CDefinitionTypes, FieldsThroughCastsAndTypedefs) {
  auto a = analyse(std::string(kDefs) +
                   "BEGIN { $f = (struct Foo *)0; $x = $f->in.s; $y = $f->ins[1].c; "
                   "$z = $f->lo; $s = $f->s; $a = $f->a[2]; $c = BLUE; "
                   "$n = sizeof(foo_t); $q = (foo_t *)0; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$f->in.s"), "int16");
  EXPECT_EQ(a->type_of("$f->ins[1].c"), "int8");
  EXPECT_EQ(a->type_of("$f->lo"), "uint8");
  EXPECT_EQ(a->type_of("$f->s"), "string[6]");
  EXPECT_EQ(a->type_of("$f->a[2]"), "uint8");
  EXPECT_EQ(a->type_of("$f->a"), "uint8[3]");
  EXPECT_EQ(a->type_of("BLUE"), "int64");
  EXPECT_EQ(a->type_of("(foo_t *)0"), "struct Foo *");
}

TEST(CDefinitionTypes, StructsAndArraysAreValues) {
  auto a = analyse(std::string(kDefs) +
                   "BEGIN { $f = (struct Foo *)0; @v = *$f; @k[*$f, 1] = 2; "
                   "@t = (1, $f->a, $f->in); @arr = $f->ins; print(*$f); print($f->ins); "
                   "$e = $f->a == $f->a; $ne = $f->a != $f->a; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("*$f"), "struct Foo");
  EXPECT_EQ(a->type_of("(1, $f->a, $f->in)"), "(int64,uint8[3],struct In)");
  EXPECT_EQ(a->type_of("$f->a == $f->a"), "uint64");
}

TEST(CDefinitionTypes, ArraysOfDifferentTypesDoNotCompare) {
  auto a = analyse(std::string(kDefs) + "BEGIN { $f = (struct Foo *)0; $e = $f->a == $f->ins; }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("invalid operands to '=='"), std::string::npos) << a->errors();
}

TEST(CDefinitionTypes, UnknownStructsAndFieldsAreLocatedErrors) {
  auto a = analyse(std::string(kDefs) + "BEGIN { $f = (struct Foo *)0; $x = $f->nope; }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("struct Foo has no field 'nope'"), std::string::npos) << a->errors();
}

} // namespace
