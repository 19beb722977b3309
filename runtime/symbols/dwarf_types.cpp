#include "runtime/symbols/dwarf_types.h"

#include <dwarf.h>

#include <cstring>

namespace tracelet::runtime::dwarf {

using ast::Type;

namespace {

bool is_record_tag(int tag) {
  return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

bool is_declaration(Dwarf_Die* die) {
  bool flag = false;
  Dwarf_Attribute attr;
  return dwarf_attr_integrate(die, DW_AT_declaration, &attr) && dwarf_formflag(&attr, &flag) == 0 &&
         flag;
}

std::optional<uint64_t> udata(Dwarf_Die* die, unsigned int name) {
  Dwarf_Attribute attr;
  Dwarf_Word v = 0;
  if (!dwarf_attr_integrate(die, name, &attr) || dwarf_formudata(&attr, &v) != 0)
    return std::nullopt;
  return v;
}

// DW_AT_data_member_location: a constant, or (older producers) DW_OP_plus_uconst N.
uint64_t member_byte_offset(Dwarf_Die* member) {
  Dwarf_Attribute attr;
  if (!dwarf_attr(member, DW_AT_data_member_location, &attr)) return 0;
  Dwarf_Word v = 0;
  if (dwarf_formudata(&attr, &v) == 0) return v;
  Dwarf_Op* ops = nullptr;
  size_t n = 0;
  if (dwarf_getlocation(&attr, &ops, &n) == 0 && n == 1 && ops[0].atom == DW_OP_plus_uconst)
    return ops[0].number;
  return 0;
}

// The bit offset of a member from the start of its record: DWARF 4+'s DW_AT_data_bit_offset,
// or DWARF 2/3's DW_AT_bit_offset (counted from the most significant bit of the storage unit
// of DW_AT_byte_size bytes at DW_AT_data_member_location, on this little-endian machine).
uint64_t member_bit_offset(Dwarf_Die* member, uint32_t bits) {
  if (auto v = udata(member, DW_AT_data_bit_offset)) return *v;
  uint64_t byte_offset = member_byte_offset(member);
  if (bits == 0) return byte_offset * 8;
  auto msb_offset = udata(member, DW_AT_bit_offset);
  auto unit = udata(member, DW_AT_byte_size);
  if (!msb_offset || !unit) return byte_offset * 8;
  return byte_offset * 8 + *unit * 8 - *msb_offset - bits;
}

// The number of elements of an array dimension (DW_TAG_subrange_type); 0 if unknown
// (flexible array members).
uint64_t subrange_count(Dwarf_Die* subrange) {
  if (auto count = udata(subrange, DW_AT_count)) return *count;
  Dwarf_Attribute attr;
  Dwarf_Sword upper = 0;
  if (dwarf_attr_integrate(subrange, DW_AT_upper_bound, &attr) &&
      dwarf_formsdata(&attr, &upper) == 0 && upper >= 0) {
    uint64_t lower = udata(subrange, DW_AT_lower_bound).value_or(0);
    return static_cast<uint64_t>(upper) + 1 - lower;
  }
  return 0;
}

bool is_char(Dwarf_Die* type) {
  Dwarf_Die t;
  if (!peel(type, &t) || dwarf_tag(&t) != DW_TAG_base_type || dwarf_bytesize(&t) != 1) return false;
  auto enc = udata(&t, DW_AT_encoding).value_or(0);
  return enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char;
}

bool is_float(Dwarf_Die* type) {
  Dwarf_Die t;
  if (!peel(type, &t) || dwarf_tag(&t) != DW_TAG_base_type) return false;
  auto enc = udata(&t, DW_AT_encoding).value_or(0);
  return enc == DW_ATE_float || enc == DW_ATE_complex_float;
}

} // namespace

bool peel(Dwarf_Die* type, Dwarf_Die* out) {
  // dwarf_peel_type: typedefs and qualifiers. Returns 1 when it ends at "no type" (void).
  return dwarf_peel_type(type, out) == 0;
}

bool TypeConverter::type_of(Dwarf_Die* die, Dwarf_Die* type) {
  Dwarf_Attribute attr;
  return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, type);
}

Type TypeConverter::convert_type_of(Dwarf_Die* die) {
  Dwarf_Die type;
  if (!type_of(die, &type)) return Type::none();
  return convert(&type);
}

bool TypeConverter::full_definition(Dwarf_Die* decl, Dwarf_Die* out) {
  // A forward declaration (`struct foo;` in this unit): find the definition in any unit.
  const char* name = dwarf_diename(decl);
  if (!name || !*name) return false;
  int tag = dwarf_tag(decl);
  Dwarf_Off offset = 0, next = 0;
  size_t header_size = 0;
  while (dwarf_nextcu(dwarf_, offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu, child;
    if (dwarf_offdie(dwarf_, offset + header_size, &cu) && dwarf_child(&cu, &child) == 0) {
      do {
        if (dwarf_tag(&child) != tag || is_declaration(&child)) continue;
        const char* n = dwarf_diename(&child);
        if (n && std::strcmp(n, name) == 0) {
          *out = child;
          return true;
        }
      } while (dwarf_siblingof(&child, &child) == 0);
    }
    offset = next;
  }
  return false;
}

std::shared_ptr<ast::RecordDef> TypeConverter::record(Dwarf_Die* die) {
  Dwarf_Die def_die = *die;
  if (is_declaration(die)) full_definition(die, &def_die);
  Dwarf_Off key = dwarf_dieoffset(&def_die);
  if (auto it = records_.find(key); it != records_.end()) return it->second;
  auto def = std::make_shared<ast::RecordDef>();
  const char* name = dwarf_diename(&def_die);
  def->is_union = dwarf_tag(&def_die) == DW_TAG_union_type;
  def->name = std::string(def->is_union ? "union " : "struct ") + (name ? name : "");
  records_[key] = def;                      // before the members: a struct may point at itself
  if (is_declaration(&def_die)) return def; // known by name only: size 0, no fields
  Dwarf_Word size = 0;
  if (dwarf_aggregate_size(&def_die, &size) == 0) def->size = size;
  add_members(*def, &def_die, 0);
  return def;
}

void TypeConverter::add_members(ast::RecordDef& def, Dwarf_Die* record, uint64_t base_bits) {
  Dwarf_Die member;
  if (dwarf_child(record, &member) != 0) return;
  do {
    if (dwarf_tag(&member) != DW_TAG_member) continue;
    Dwarf_Die type;
    if (!type_of(&member, &type)) continue;
    uint32_t bits = static_cast<uint32_t>(udata(&member, DW_AT_bit_size).value_or(0));
    uint64_t bit_offset = base_bits + member_bit_offset(&member, bits);
    const char* name = dwarf_diename(&member);
    Dwarf_Die peeled;
    if ((!name || !*name) && peel(&type, &peeled) && is_record_tag(dwarf_tag(&peeled))) {
      // An anonymous struct/union member: its fields are named as if they were ours.
      add_members(def, &peeled, bit_offset);
      continue;
    }
    if (!name || !*name) continue;
    ast::Field f;
    f.name = name;
    if (bits) {
      // As BTF bitfields (runtime/kernel/btf.cpp): the smallest naturally sized word holding
      // the bits, read from their first byte.
      uint32_t shift = static_cast<uint32_t>(bit_offset % 8);
      uint64_t bytes = 1;
      while (bytes < 8 && shift + bits > bytes * 8)
        bytes *= 2;
      f.offset = bit_offset / 8;
      f.bitfield_bits = bits;
      f.bitfield_shift = shift;
      Type declared = convert(&type);
      f.type = std::make_shared<Type>(Type::integer(bytes, declared.is_signed));
    } else {
      f.offset = bit_offset / 8;
      Type ft = convert(&type);
      if (ft.is_none()) continue; // floats, function types: nothing tracelet can hold
      f.type = std::make_shared<Type>(std::move(ft));
    }
    def.fields.push_back(std::move(f));
  } while (dwarf_siblingof(&member, &member) == 0);
}

Type TypeConverter::convert(Dwarf_Die* die) {
  Dwarf_Die t;
  if (!peel(die, &t)) return Type::none(); // void
  switch (dwarf_tag(&t)) {
  case DW_TAG_base_type: {
    auto enc = udata(&t, DW_AT_encoding).value_or(0);
    int bytes = dwarf_bytesize(&t);
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) return Type::none(); // __int128
    switch (enc) {
    case DW_ATE_signed:
    case DW_ATE_signed_char:
      return Type::integer(bytes, true);
    case DW_ATE_unsigned:
    case DW_ATE_unsigned_char:
    case DW_ATE_boolean:
    case DW_ATE_UTF:
      return Type::integer(bytes, false);
    default:
      return Type::none(); // float, complex, decimal
    }
  }
  case DW_TAG_enumeration_type: {
    int bytes = dwarf_bytesize(&t);
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) bytes = 4;
    Dwarf_Die underlying;
    bool is_signed = false;
    if (type_of(&t, &underlying)) {
      Type u = convert(&underlying);
      is_signed = u.is_integer() && u.is_signed;
    }
    return Type::integer(bytes, is_signed);
  }
  case DW_TAG_pointer_type:
  case DW_TAG_reference_type:
  case DW_TAG_rvalue_reference_type: {
    Dwarf_Die target, peeled;
    if (type_of(&t, &target) && peel(&target, &peeled) && is_record_tag(dwarf_tag(&peeled)))
      return Type::pointer(Type::of_record(record(&peeled), ast::AddrSpace::User),
                           ast::AddrSpace::User);
    Type pointee = type_of(&t, &target) ? convert(&target) : Type::none();
    if (pointee.is_none() || pointee.is_string()) pointee = Type::integer(1, false); // void *
    if (type_of(&t, &target) && is_char(&target)) pointee = Type::integer(1, true);  // char *
    return Type::pointer(std::move(pointee), ast::AddrSpace::User);
  }
  case DW_TAG_array_type: {
    Dwarf_Die elem_die;
    if (!type_of(&t, &elem_die)) return Type::none();
    // One DW_TAG_subrange_type per dimension, outermost first: build from the innermost.
    std::vector<uint64_t> dims;
    Dwarf_Die sub;
    if (dwarf_child(&t, &sub) == 0) do {
        if (dwarf_tag(&sub) == DW_TAG_subrange_type) dims.push_back(subrange_count(&sub));
      } while (dwarf_siblingof(&sub, &sub) == 0);
    if (dims.empty()) return Type::none();
    Type result = Type::none();
    for (size_t i = dims.size(); i-- > 0;) {
      if (dims[i] == 0) return Type::none(); // flexible array member: no size to hold
      if (i + 1 == dims.size()) {
        if (is_char(&elem_die)) {
          result = Type::string(dims[i]);
          continue;
        }
        result = convert(&elem_die);
        if (result.is_none()) return result;
      }
      result = Type::array(std::move(result), dims[i]);
    }
    return result;
  }
  case DW_TAG_structure_type:
  case DW_TAG_union_type:
  case DW_TAG_class_type:
    return Type::of_record(record(&t), ast::AddrSpace::User);
  default:
    return Type::none(); // subroutine types, pointers to members
  }
}

void TypeConverter::classify_into(Dwarf_Die* type, uint64_t offset, PassedIn classes[2],
                                  bool& memory) {
  Dwarf_Die t;
  if (!peel(type, &t)) return;
  int tag = dwarf_tag(&t);
  auto mark = [&](uint64_t from, uint64_t size, PassedIn kind) {
    for (uint64_t b = from / 8; b < 2 && b * 8 < from + size; ++b)
      if (classes[b] != PassedIn::Integer) classes[b] = kind; // INTEGER wins over SSE
  };
  if (is_record_tag(tag)) {
    Dwarf_Die def = t;
    if (is_declaration(&t)) full_definition(&t, &def);
    Dwarf_Die member;
    if (dwarf_child(&def, &member) != 0) return;
    do {
      if (dwarf_tag(&member) != DW_TAG_member) continue;
      Dwarf_Die mtype;
      if (!type_of(&member, &mtype)) continue;
      uint32_t bits = static_cast<uint32_t>(udata(&member, DW_AT_bit_size).value_or(0));
      uint64_t bit_offset = offset * 8 + member_bit_offset(&member, bits);
      if (bits) {
        mark(bit_offset / 8, (bit_offset % 8 + bits + 7) / 8, PassedIn::Integer);
        continue;
      }
      Dwarf_Word size = 0;
      dwarf_aggregate_size(&mtype, &size);
      Dwarf_Die peeled;
      int align = peel(&mtype, &peeled) && dwarf_tag(&peeled) == DW_TAG_base_type
                      ? dwarf_bytesize(&peeled)
                      : 1;
      if (bit_offset % 8 || (align > 0 && (bit_offset / 8) % align)) memory = true; // packed
      classify_into(&mtype, bit_offset / 8, classes, memory);
    } while (dwarf_siblingof(&member, &member) == 0);
    return;
  }
  Dwarf_Word size = 0;
  dwarf_aggregate_size(&t, &size);
  if (tag == DW_TAG_array_type) {
    Dwarf_Die elem;
    bool floats = type_of(&t, &elem) && is_float(&elem);
    mark(offset, size, floats ? PassedIn::Sse : PassedIn::Integer);
    return;
  }
  if (tag == DW_TAG_base_type && size > 8 && is_float(&t)) memory = true; // long double
  mark(offset, size, is_float(&t) ? PassedIn::Sse : PassedIn::Integer);
}

Classification TypeConverter::classify(Dwarf_Die* type) {
  Classification c;
  Dwarf_Die t;
  if (!peel(type, &t)) return c;
  Dwarf_Word size = 0;
  dwarf_aggregate_size(&t, &size);
  c.size = size;
  int tag = dwarf_tag(&t);
  if (tag == DW_TAG_base_type && is_float(&t)) {
    c.passed_in =
        size > 8 && udata(&t, DW_AT_encoding) == DW_ATE_float ? PassedIn::Memory : PassedIn::Sse;
    c.align = size > 8 ? 16 : 8;
    c.eightbytes = size > 8 && c.passed_in == PassedIn::Sse ? 2 : 1;
    return c;
  }
  if (!is_record_tag(tag)) {
    c.eightbytes = size > 8 ? 2 : 1; // __int128: two registers
    return c;
  }
  if (size > 16 || size == 0) {
    c.passed_in = PassedIn::Memory;
    return c;
  }
  PassedIn classes[2] = {PassedIn::Sse, PassedIn::Sse}; // "NO_CLASS" merges into either
  bool memory = false;
  classify_into(&t, 0, classes, memory);
  c.eightbytes = size > 8 ? 2 : 1;
  if (memory) {
    c.passed_in = PassedIn::Memory;
  } else {
    bool any_int = false, any_sse = false;
    for (uint64_t i = 0; i < c.eightbytes; ++i)
      (classes[i] == PassedIn::Integer ? any_int : any_sse) = true;
    c.passed_in = any_int && any_sse ? PassedIn::Mixed
                  : any_int          ? PassedIn::Integer
                                     : PassedIn::Sse;
  }
  return c;
}

std::string TypeConverter::c_name(Dwarf_Die* die) {
  // As bpftrace 0.17 spells parameter types (from libdw): DWARF's base type names ("long
  // int"), "struct <anonymous>", "T*", "const T", "T* const". Unlike it, volatile is spelled
  // out instead of "<unknown type>" (docs/differences.md).
  const char* name = dwarf_diename(die);
  Dwarf_Die inner;
  bool has_inner = type_of(die, &inner);
  std::string inner_name = has_inner ? c_name(&inner) : "void";
  switch (dwarf_tag(die)) {
  case DW_TAG_base_type:
  case DW_TAG_typedef:
    return name ? name : "<unknown type>";
  case DW_TAG_structure_type:
  case DW_TAG_class_type:
    return std::string("struct ") + (name ? name : "<anonymous>");
  case DW_TAG_union_type:
    return std::string("union ") + (name ? name : "<anonymous>");
  case DW_TAG_enumeration_type:
    return std::string("enum ") + (name ? name : "<anonymous>");
  case DW_TAG_pointer_type:
    return inner_name + "*";
  case DW_TAG_reference_type:
    return inner_name + "&";
  case DW_TAG_const_type:
  case DW_TAG_volatile_type: {
    const char* q = dwarf_tag(die) == DW_TAG_const_type ? "const" : "volatile";
    if (has_inner && dwarf_tag(&inner) == DW_TAG_pointer_type) return inner_name + " " + q;
    return std::string(q) + " " + inner_name;
  }
  case DW_TAG_restrict_type:
    return inner_name + " restrict";
  case DW_TAG_array_type:
    return inner_name + "[]";
  default:
    return "<unknown type>"; // function types, as bpftrace
  }
}

std::string TypeConverter::c_name_of(Dwarf_Die* die) {
  Dwarf_Die type;
  return type_of(die, &type) ? c_name(&type) : "void";
}

} // namespace tracelet::runtime::dwarf
