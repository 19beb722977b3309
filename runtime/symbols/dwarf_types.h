// DWARF type DIEs to tracelet types (runtime/symbols/dwarf.h is the public side). Private to
// dwarf.cpp and dwarf_types.cpp: it needs elfutils' headers.
#pragma once

#include "ast/types.h"

#include <elfutils/libdw.h>

#include <map>
#include <memory>
#include <string>

namespace tracelet::runtime::dwarf {

// How the x86-64 System V ABI passes a value of a type (its "eightbyte" classes, merged).
enum class PassedIn {
  Integer, // general registers only (ints, pointers, small structs of them)
  Sse,     // only floating-point registers
  Mixed,   // a struct with one eightbyte of each
  Memory,  // on the stack: larger than 16 bytes, long double, unaligned members
};

struct Classification {
  PassedIn passed_in = PassedIn::Integer;
  uint64_t eightbytes = 1; // registers used (Integer, Sse: of that kind; Mixed: one of each)
  uint64_t size = 0;
  uint64_t align = 8;
};

// Converts type DIEs of one debug info, sharing one RecordDef per struct DIE (so that
// self-referencing structs end), and finding the full definition of forward declarations.
class TypeConverter {
public:
  explicit TypeConverter(Dwarf* dwarf) : dwarf_(dwarf) {}

  // The type DIE that DW_AT_type of `die` names; false for void (no DW_AT_type).
  static bool type_of(Dwarf_Die* die, Dwarf_Die* type);
  // The type as tracelet holds it; Type::none() for void, floats and function types.
  ast::Type convert(Dwarf_Die* type);
  // The type of `die`'s DW_AT_type, or Type::none() for void.
  ast::Type convert_type_of(Dwarf_Die* die);
  // A struct/union DIE as a shared record (filled on first conversion).
  std::shared_ptr<ast::RecordDef> record(Dwarf_Die* die);
  // How the ABI passes a value of this type.
  Classification classify(Dwarf_Die* type);
  // bpftrace's spelling of a type in -lv listings ("const char*", "struct Foo*").
  static std::string c_name(Dwarf_Die* type);
  // The type `die`'s DW_AT_type names, spelled as c_name; "void" for none.
  static std::string c_name_of(Dwarf_Die* die);

private:
  void add_members(ast::RecordDef& def, Dwarf_Die* record, uint64_t base_bits);
  void classify_into(Dwarf_Die* type, uint64_t offset, PassedIn classes[2], bool& memory);
  bool full_definition(Dwarf_Die* decl, Dwarf_Die* out);

  Dwarf* dwarf_;
  std::map<Dwarf_Off, std::shared_ptr<ast::RecordDef>> records_;
};

// Skips typedef, const, volatile, restrict and atomic DIEs; false if it reaches void.
bool peel(Dwarf_Die* type, Dwarf_Die* out);

} // namespace tracelet::runtime::dwarf
