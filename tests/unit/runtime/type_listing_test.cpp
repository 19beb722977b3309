// -l 'struct NAME' / -lv: kernel types listed from BTF (runtime/kernel/type_listing.h), on a
// small BTF built here.
#include "runtime/kernel/type_listing.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <memory>

namespace tracelet::runtime {
namespace {

// struct inner { int a; int b; }; enum color { RED, GREEN }; struct outer { struct inner in;
// char *name; enum color col; }; union val { int i; char c; }; struct packed5 (packed);
// struct with an anonymous struct member; and an anonymous struct of its own.
std::unique_ptr<struct btf, decltype(&btf__free)> sample_btf() {
  std::unique_ptr<struct btf, decltype(&btf__free)> b(btf__new_empty(), &btf__free);
  struct btf* btf = b.get();
  int i = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
  int c = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
  int inner = btf__add_struct(btf, "inner", 8);
  btf__add_field(btf, "a", i, 0, 0);
  btf__add_field(btf, "b", i, 32, 0);
  int color = btf__add_enum(btf, "color", 4);
  btf__add_enum_value(btf, "RED", 0);
  btf__add_enum_value(btf, "GREEN", 1);
  int ptr = btf__add_ptr(btf, c);
  btf__add_struct(btf, "outer", 24);
  btf__add_field(btf, "in", inner, 0, 0);
  btf__add_field(btf, "name", ptr, 64, 0);
  btf__add_field(btf, "col", color, 128, 0);
  btf__add_union(btf, "val", 4);
  btf__add_field(btf, "i", i, 0, 0);
  btf__add_field(btf, "c", c, 0, 0);
  btf__add_struct(btf, "packed5", 5);
  btf__add_field(btf, "n", i, 0, 0);
  btf__add_field(btf, "tag", c, 32, 0);
  int anon = btf__add_struct(btf, "", 4);
  btf__add_field(btf, "x", i, 0, 0);
  btf__add_struct(btf, "holder", 4);
  btf__add_field(btf, "", anon, 0, 0);
  return b;
}

TEST(TypePattern, StructUnionEnumWithoutColon) {
  EXPECT_TRUE(is_type_pattern("struct task_struct"));
  EXPECT_TRUE(is_type_pattern("union *"));
  EXPECT_TRUE(is_type_pattern("enum*"));
  EXPECT_FALSE(is_type_pattern("structs:foo"));
  EXPECT_FALSE(is_type_pattern("tracepoint:sched:*"));
  EXPECT_FALSE(is_type_pattern("sched_switch"));
  EXPECT_FALSE(is_type_pattern(" struct x"));
}

TEST(ListTypes, NamesSortedAndGlobbed) {
  auto btf = sample_btf();
  EXPECT_EQ(list_types(btf.get(), "struct *", false),
            "struct holder\nstruct inner\nstruct outer\nstruct packed5\n");
  EXPECT_EQ(list_types(btf.get(), "struct inner", false), "struct inner\n");
  EXPECT_EQ(list_types(btf.get(), "union *", false), "union val\n");
  EXPECT_EQ(list_types(btf.get(), "enum*", false), "enum color\n");
  EXPECT_EQ(list_types(btf.get(), "struct nonexistent", false), "");
  EXPECT_EQ(list_types(btf.get(), "struct", false), "");
  EXPECT_EQ(list_types(btf.get(), "struct inner ", false), "") << "blanks are part of the name";
}

TEST(ListTypes, VerboseGivesTheDefinitionsOnly) {
  // The definitions of the types named, not of what they hold (inner, color), each followed
  // by an empty line.
  auto btf = sample_btf();
  EXPECT_EQ(list_types(btf.get(), "struct outer", true), "struct outer {\n"
                                                         "\tstruct inner in;\n"
                                                         "\tchar *name;\n"
                                                         "\tenum color col;\n"
                                                         "};\n\n");
  EXPECT_EQ(list_types(btf.get(), "enum color", true),
            "enum color {\n\tRED = 0,\n\tGREEN = 1,\n};\n\n");
  EXPECT_EQ(list_types(btf.get(), "union val", true), "union val {\n\tint i;\n\tchar c;\n};\n\n");
  EXPECT_EQ(list_types(btf.get(), "struct holder", true),
            "struct holder {\n\tstruct {\n\t\tint x;\n\t};\n};\n\n");
}

TEST(ListTypes, VerbosePackedStructStandsAlone) {
  // bpftrace 0.17 glues what follows a packed struct ("} __attribute__((packed));") to it and
  // loses the next definition; each definition here is whole and alone.
  auto btf = sample_btf();
  EXPECT_EQ(list_types(btf.get(), "struct packed5", true),
            "struct packed5 {\n\tint n;\n\tchar tag;\n} __attribute__((packed));\n\n");
  std::string all = list_types(btf.get(), "struct *", true);
  EXPECT_EQ(all.find("struct holder {"), 0u) << all;
  for (const char* name : {"struct inner {", "struct outer {", "struct packed5 {"})
    EXPECT_NE(all.find(std::string("\n\n") + name), std::string::npos) << name << "\n" << all;
  EXPECT_EQ(all.find("enum color {"), std::string::npos) << all;
}

} // namespace
} // namespace tracelet::runtime
