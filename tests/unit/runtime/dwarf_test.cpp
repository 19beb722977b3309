// DWARF to tracelet types (runtime/symbols/dwarf.h) on tl_dwarf_target, built by the tests
// with DWARF 5 (-g) and DWARF 4 (-gdwarf-4, bitfields as DW_AT_bit_offset): records with
// nested structs, arrays of arrays, bitfields, anonymous unions and structs, self-pointers;
// parameters placed as the x86-64 ABI passes them; the -lv spelling of parameter types.
#include "runtime/symbols/dwarf.h"

#include <gtest/gtest.h>

namespace tracelet::runtime {
namespace {

using ast::AddrSpace;
using ast::TypeKind;

class DwarfTypes : public ::testing::TestWithParam<const char*> {
protected:
  BinaryDwarf dwarf{GetParam()};
};

const ast::Field& field(const ast::RecordDef& r, const std::string& name) {
  const ast::Field* f = r.find(name);
  if (!f) throw std::runtime_error(r.name + " has no field " + name);
  return *f;
}

TEST_P(DwarfTypes, NestedStructsArraysBitfieldsAndAnonymousMembers) {
  ASSERT_TRUE(dwarf.has_debug_info());
  auto node = dwarf.record("struct tld_node");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->name, "struct tld_node");
  EXPECT_EQ(node->size, 120u);
  EXPECT_FALSE(node->is_union);

  const auto& id = field(*node, "id");
  EXPECT_EQ(id.offset, 0u);
  EXPECT_EQ(id.type->str(), "int32");

  const auto& name = field(*node, "name");
  EXPECT_EQ(name.offset, 4u);
  EXPECT_EQ(name.type->kind, TypeKind::String); // char[16], as bpftrace
  EXPECT_EQ(name.type->size(), 16u);

  const auto& inner = field(*node, "inner");
  EXPECT_EQ(inner.offset, 20u);
  ASSERT_EQ(inner.type->kind, TypeKind::Record);
  const ast::RecordDef& in = *inner.type->record;
  EXPECT_EQ(in.name, "struct tld_inner");
  EXPECT_EQ(in.size, 8u);
  EXPECT_EQ(field(in, "s").type->str(), "int16");
  const auto& low = field(in, "low");
  EXPECT_EQ(low.offset, 2u);
  EXPECT_EQ(low.bitfield_bits, 3u);
  EXPECT_EQ(low.bitfield_shift, 0u);
  EXPECT_FALSE(low.type->is_signed);
  const auto& high = field(in, "high");
  EXPECT_EQ(high.offset, 2u);
  EXPECT_EQ(high.bitfield_bits, 5u);
  EXPECT_EQ(high.bitfield_shift, 3u);
  const auto& wide = field(in, "wide"); // int wide : 20, in the next int: bytes 4..6
  EXPECT_EQ(wide.offset * 8 + wide.bitfield_shift, 32u);
  EXPECT_EQ(wide.bitfield_bits, 20u);
  EXPECT_GE(wide.type->size() * 8, wide.bitfield_shift + 20u);
  EXPECT_TRUE(wide.type->is_signed);

  const auto& values = field(*node, "values");
  EXPECT_EQ(values.offset, 32u);
  EXPECT_EQ(values.type->str(), "int64[3]");
  const auto& grid = field(*node, "grid");
  EXPECT_EQ(grid.offset, 56u);
  ASSERT_EQ(grid.type->kind, TypeKind::Array);
  EXPECT_EQ(grid.type->count, 2u);
  EXPECT_EQ(grid.type->pointee->kind, TypeKind::Array);
  EXPECT_EQ(grid.type->pointee->count, 3u);
  EXPECT_EQ(grid.type->size(), 24u);

  // The anonymous union and struct are lifted into tld_node.
  EXPECT_EQ(field(*node, "as_int").offset, 80u);
  EXPECT_EQ(field(*node, "halves").offset, 80u);
  EXPECT_EQ(field(*node, "halves").type->str(), "uint16[2]");
  EXPECT_EQ(field(*node, "anon_x").offset, 84u);
  EXPECT_EQ(field(*node, "anon_y").offset, 88u);

  // Pointers point into user memory; a self-pointer shares the record.
  const auto& next = field(*node, "next");
  EXPECT_EQ(next.offset, 96u);
  ASSERT_EQ(next.type->kind, TypeKind::Pointer);
  EXPECT_EQ(next.type->as, AddrSpace::User);
  EXPECT_EQ(next.type->pointee->record.get(), node.get());
  const auto& label = field(*node, "label");
  EXPECT_EQ(label.type->kind, TypeKind::Pointer);
  EXPECT_EQ(label.type->pointee->str(), "int8"); // char *: str() reads it

  EXPECT_EQ(node->find("ratio"), nullptr); // a double: nothing tracelet holds
  EXPECT_EQ(dwarf.record("struct no_such_struct"), nullptr);
  EXPECT_EQ(dwarf.record("union tld_node"), nullptr);
}

TEST_P(DwarfTypes, ParametersWhereTheAbiPassesThem) {
  std::string error;
  auto ints = dwarf.function_args("tld_ints", error);
  ASSERT_NE(ints, nullptr) << error;
  ASSERT_EQ(ints->fields.size(), 6u);
  const char* types[] = {"int8", "uint8", "int16", "uint16", "int32", "uint32"};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(ints->fields[i].offset, 8 * i);
    EXPECT_EQ(ints->fields[i].type->str(), types[i]);
  }

  auto wide = dwarf.function_args("tld_wide", error);
  ASSERT_NE(wide, nullptr) << error;
  EXPECT_EQ(field(*wide, "c").type->str(), "uint32");   // typedef
  EXPECT_EQ(field(*wide, "col").type->str(), "uint32"); // enum with no negative value
  EXPECT_EQ(field(*wide, "ch").type->str(), "int8");
  EXPECT_EQ(field(*wide, "ok").type->str(), "uint8"); // bool

  auto by_value = dwarf.function_args("tld_by_value", error);
  ASSERT_NE(by_value, nullptr) << error;
  EXPECT_EQ(field(*by_value, "p").offset, 0u);                      // 8 bytes: rdi
  EXPECT_EQ(field(*by_value, "t").offset, 8u);                      // 16 bytes: rsi and rdx
  EXPECT_EQ(field(*by_value, "big").offset, ast::kUprobeStackArgs); // 24 bytes: the stack
  EXPECT_EQ(field(*by_value, "last").offset, 24u);                  // rcx
  EXPECT_EQ(field(*by_value, "big").type->size(), 24u);

  auto many = dwarf.function_args("tld_many", error);
  ASSERT_NE(many, nullptr) << error;
  EXPECT_EQ(field(*many, "a6").offset, 40u);
  EXPECT_EQ(field(*many, "a7").offset, ast::kUprobeStackArgs);
  EXPECT_EQ(field(*many, "a8").offset, ast::kUprobeStackArgs + 8);

  auto after_float = dwarf.function_args("tld_after_float", error);
  ASSERT_NE(after_float, nullptr) << error;
  ASSERT_NE(after_float->find("d"), nullptr);
  EXPECT_EQ(after_float->find("d")->type, nullptr); // in xmm0: named, but not readable
  EXPECT_EQ(field(*after_float, "x").offset, 0u);
  EXPECT_EQ(field(*after_float, "sign").offset, 8u);
  EXPECT_EQ(field(*after_float, "sign").type->str(), "int32"); // enum with a negative value

  auto strings = dwarf.function_args("tld_strings", error);
  ASSERT_NE(strings, nullptr) << error;
  const auto& node = field(*strings, "node");
  ASSERT_EQ(node.type->kind, TypeKind::Pointer);
  EXPECT_EQ(node.type->as, AddrSpace::User);
  EXPECT_EQ(node.type->pointee->record->name, "struct tld_node");

  auto none = dwarf.function_args("tld_none", error);
  ASSERT_NE(none, nullptr) << error;
  EXPECT_TRUE(none->fields.empty());

  EXPECT_EQ(dwarf.function_args("_init", error), nullptr);
  EXPECT_EQ(error,
            std::string("the debug info of ") + GetParam() + " does not describe function _init");
}

TEST_P(DwarfTypes, ParameterSpellingAsBpftrace) {
  auto params = dwarf.parameters("tld_strings");
  ASSERT_TRUE(params);
  ASSERT_EQ(params->size(), 2u);
  EXPECT_EQ((*params)[0].c_type, "const char*");
  EXPECT_EQ((*params)[1].c_type, "struct tld_node*");
  EXPECT_EQ(uprobe_parameter_lines(dwarf, "tld_opaque"),
            (std::vector<std::string>{"void* p", "int** pp"}));
  EXPECT_EQ(uprobe_parameter_lines(dwarf, "tld_many").back(), "int a8");
  EXPECT_EQ(uprobe_parameter_lines(dwarf, "tld_by_value").front(), "struct tld_pair p");
  EXPECT_TRUE(uprobe_parameter_lines(dwarf, "tld_none").empty());
  EXPECT_FALSE(dwarf.parameters("no_such_function"));
}

INSTANTIATE_TEST_SUITE_P(Dwarf5And4, DwarfTypes,
                         ::testing::Values(TL_DWARF_TARGET, TL_DWARF4_TARGET));

TEST(Dwarf, BinaryWithoutDebugInfo) {
  BinaryDwarf dwarf(TL_NODWARF_TARGET);
  EXPECT_FALSE(dwarf.opened());
  EXPECT_FALSE(dwarf.has_debug_info());
  std::string error;
  EXPECT_EQ(dwarf.function_args("tld_ints", error), nullptr);
  EXPECT_EQ(error, std::string(TL_NODWARF_TARGET) +
                       " has no DWARF debug info (build it with -g, or install its -dbg or "
                       "-dbgsym package)");
  EXPECT_TRUE(uprobe_parameter_lines(dwarf, "tld_ints").empty());
}

TEST(Dwarf, NothingIsReadBeforeTheFirstQuestion) {
  BinaryDwarf dwarf(TL_DWARF_TARGET);
  EXPECT_FALSE(dwarf.opened());
  EXPECT_TRUE(dwarf.has_debug_info());
  EXPECT_TRUE(dwarf.opened());
}

} // namespace
} // namespace tracelet::runtime
