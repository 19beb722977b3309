#include "ast/passes/script_types.h"

namespace tracelet::ast::passes {

namespace {

struct NamedInteger {
  const char* name;
  uint64_t bytes;
  bool is_signed;
};

// Integer names a C definition may use without BTF: C's (as parser/c_declarations.cpp
// normalises them), tracelet's, and <stdint.h>'s.
const NamedInteger kIntegers[] = {
    {"char", 1, true},      {"unsigned char", 1, false},
    {"short", 2, true},     {"unsigned short", 2, false},
    {"int", 4, true},       {"unsigned int", 4, false},
    {"long", 8, true},      {"unsigned long", 8, false},
    {"bool", 1, false},     {"int8", 1, true},
    {"int16", 2, true},     {"int32", 4, true},
    {"int64", 8, true},     {"uint8", 1, false},
    {"uint16", 2, false},   {"uint32", 4, false},
    {"uint64", 8, false},   {"int8_t", 1, true},
    {"int16_t", 2, true},   {"int32_t", 4, true},
    {"int64_t", 8, true},   {"uint8_t", 1, false},
    {"uint16_t", 2, false}, {"uint32_t", 4, false},
    {"uint64_t", 8, false}, {"size_t", 8, false},
    {"ssize_t", 8, true},   {"uintptr_t", 8, false},
    {"intptr_t", 8, true},
};

uint64_t round_up(uint64_t v, uint64_t a) {
  return a ? (v + a - 1) / a * a : v;
}

} // namespace

void ScriptTypes::define(const Program& program, Diagnostics& diags) {
  for (const auto& def : program.c_definitions) {
    for (const auto& decl : def.declarations) {
      if (decl.type.record) {
        layout(*decl.type.record, diags);
      } else if (decl.type.enumeration) {
        define_enum(*decl.type.enumeration);
      }
      if (!decl.is_typedef) continue;
      auto base = base_type(decl.type, diags);
      if (!base) continue;
      bool is_char = decl.type.name == "char";
      for (const auto& d : decl.declarators)
        if (auto t = declared_type(*base, is_char, d, diags)) typedefs_[d.name] = *t;
    }
  }
}

std::shared_ptr<const RecordDef> ScriptTypes::kernel_record(const std::string& name) {
  auto it = records_.find(name);
  if (it != records_.end()) return it->second;
  return kernel_.kernel_record(name);
}

std::optional<Type> ScriptTypes::kernel_type(const std::string& name) {
  auto it = typedefs_.find(name);
  if (it != typedefs_.end()) return it->second;
  return kernel_.kernel_type(name);
}

std::optional<int64_t> ScriptTypes::kernel_constant(const std::string& name,
                                                    const std::vector<std::string>& headers) {
  auto it = enumerators_.find(name);
  if (it != enumerators_.end()) return it->second;
  return kernel_.kernel_constant(name, headers);
}

void ScriptTypes::define_enum(const CEnumBody& body) {
  bool negative = false;
  bool wide = false;
  for (const auto& [name, value] : body.values) {
    enumerators_[name] = value;
    negative = negative || value < 0;
    wide = wide || value > static_cast<int64_t>(UINT32_MAX) || value < INT32_MIN;
  }
  if (!body.name.empty()) typedefs_[body.name] = Type::integer(wide ? 8 : 4, negative);
}

std::optional<Type> ScriptTypes::named(const CTypeName& t, Diagnostics& diags) {
  for (const auto& i : kIntegers)
    if (t.name == i.name) return Type::integer(i.bytes, i.is_signed);
  if (t.name == "void") return Type::none();
  if (t.name == "float" || t.name == "double" || t.name == "long double") {
    diags.error(t.loc, "floating-point types are not supported in C definitions");
    return std::nullopt;
  }
  if (t.name.rfind("struct ", 0) == 0 || t.name.rfind("union ", 0) == 0) {
    if (auto def = kernel_record(t.name)) return Type::of_record(def);
    // Not defined (yet): known by name only, as a pointer target. Reading through it asks
    // again once the script and BTF are complete (TypeInference::complete_record).
    auto stub = std::make_shared<RecordDef>();
    stub->name = t.name;
    stub->is_union = t.name.rfind("union ", 0) == 0;
    return Type::of_record(stub);
  }
  if (auto type = kernel_type(t.name)) return type;
  diags.error(t.loc, "unknown type '" + t.name + "' in C definition");
  return std::nullopt;
}

std::optional<Type> ScriptTypes::base_type(const CTypeName& t, Diagnostics& diags) {
  if (t.record) {
    auto it = t.record->name.empty() ? records_.end() : records_.find(t.record->name);
    if (it != records_.end()) return Type::of_record(it->second);
    // An anonymous record: laid out where it was defined (define() or layout()).
    auto anon = anonymous_.find(t.record.get());
    if (anon != anonymous_.end()) return Type::of_record(anon->second);
    return std::nullopt;
  }
  if (t.enumeration) {
    if (!t.enumeration->name.empty()) return typedefs_[t.enumeration->name];
    return Type::integer(4, false);
  }
  return named(t, diags);
}

std::optional<Type> ScriptTypes::declared_type(const Type& base, bool is_char, const CDeclarator& d,
                                               Diagnostics& diags) {
  Type t = base;
  if (d.pointers > 0) {
    if (t.is_none()) t = Type::integer(1, false); // void *
    for (int i = 0; i < d.pointers; ++i)
      t = Type::pointer(t, AddrSpace::Kernel);
    is_char = false;
  } else if (t.is_none()) {
    diags.error(d.loc, "'" + d.name + "' cannot have type void");
    return std::nullopt;
  } else if (t.kind == TypeKind::Record && t.record && t.record->size == 0 &&
             t.record->fields.empty()) {
    diags.error(d.loc, "'" + d.name + "' has incomplete type " + t.record->name);
    return std::nullopt;
  }
  // `char s[8]` is a string, as in bpftrace; `char s[2][8]` two of them. Arrays of
  // `unsigned char` stay arrays of integers.
  for (size_t i = d.dims.size(); i-- > 0;) {
    if (i + 1 == d.dims.size() && is_char && t.is_integer() && t.bytes == 1 && d.dims[i] > 0)
      t = Type::string(d.dims[i]);
    else
      t = Type::array(t, d.dims[i]);
  }
  return t;
}

std::shared_ptr<RecordDef> ScriptTypes::layout(const CRecordBody& body, Diagnostics& diags) {
  auto def = std::make_shared<RecordDef>();
  def->name = body.name.empty() ? (body.is_union ? "union" : "struct") : body.name;
  def->is_union = body.is_union;
  if (!body.name.empty())
    records_[body.name] = def; // before the members, which may point back at it
  else
    anonymous_[&body] = def;

  uint64_t bit = 0;     // next free bit (structs)
  uint64_t max_end = 0; // bytes used (unions)
  uint64_t max_align = 1;
  auto place = [&](uint64_t size, uint64_t align) {
    max_align = std::max(max_align, align);
    if (body.is_union) {
      max_end = std::max(max_end, size);
      return uint64_t{0};
    }
    uint64_t off = round_up(round_up(bit, 8) / 8, align);
    bit = (off + size) * 8;
    return off;
  };

  for (const auto& m : body.members) {
    if (m.type.record) {
      auto inner = layout(*m.type.record, diags);
      if (m.declarators.empty()) {
        if (!m.type.record->name.empty()) continue; // a type defined inside: no member
        // An anonymous struct/union member: its fields are named as if they were ours.
        uint64_t off = place(inner->size, inner->align ? inner->align : 1);
        for (auto f : inner->fields) {
          f.offset += off;
          def->fields.push_back(std::move(f));
        }
        continue;
      }
    } else if (m.type.enumeration) {
      define_enum(*m.type.enumeration);
    }
    auto base = base_type(m.type, diags);
    if (!base) continue;
    bool is_char = m.type.name == "char"; // `unsigned char x[4]` stays an array
    for (const auto& d : m.declarators) {
      if (d.bits) {
        if (!base->is_integer() || d.pointers || !d.dims.empty()) {
          diags.error(d.loc, "bitfield '" + d.name + "' must have an integer type");
          continue;
        }
        uint64_t unit = base->bytes * 8;
        uint64_t bits = *d.bits;
        if (bits > unit) {
          diags.error(d.loc, "bitfield '" + d.name + "' is wider than its type");
          continue;
        }
        uint64_t at = body.is_union ? 0 : bit;
        if (bits == 0) {
          if (!body.is_union) bit = round_up(bit, unit);
          continue;
        }
        if (at / unit != (at + bits - 1) / unit) at = round_up(at, unit); // no straddling
        if (body.is_union)
          max_end = std::max(max_end, round_up(bits, 8) / 8);
        else
          bit = at + bits;
        if (d.name.empty()) continue; // unnamed padding
        max_align = std::max(max_align, base->bytes);
        Field f;
        f.name = d.name;
        f.offset = at / 8;
        f.bitfield_bits = static_cast<uint32_t>(bits);
        f.bitfield_shift = static_cast<uint32_t>(at % 8);
        uint64_t bytes = 1;
        while (bytes < 8 && f.bitfield_shift + bits > bytes * 8)
          bytes *= 2;
        f.type = std::make_shared<Type>(Type::integer(bytes, false));
        def->fields.push_back(std::move(f));
        continue;
      }
      auto t = declared_type(*base, is_char, d, diags);
      if (!t) continue;
      Field f;
      f.name = d.name;
      f.offset = place(t->size(), t->align());
      f.type = std::make_shared<Type>(std::move(*t));
      if (!d.name.empty()) def->fields.push_back(std::move(f));
    }
  }
  uint64_t used = body.is_union ? max_end : round_up(bit, 8) / 8;
  def->size = round_up(used, max_align);
  def->align = max_align;
  return def;
}

} // namespace tracelet::ast::passes
