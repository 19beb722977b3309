#include "runtime/output/record_format.h"

#include "runtime/output/json_output.h"
#include "runtime/output/value_format.h"

#include <cstdio>

namespace tracelet::runtime {

using ast::Type;
using ast::TypeKind;

namespace {

// A bitfield's value: its bits of the word at its offset, sign-extended if it is signed.
std::string bitfield_value(const ast::Field& f, const uint8_t* record) {
  uint64_t word = read_unsigned(record + f.offset, f.type->size());
  word >>= f.bitfield_shift;
  if (f.bitfield_bits >= 64) return std::to_string(word);
  word &= (uint64_t{1} << f.bitfield_bits) - 1;
  if (f.type->is_signed && (word >> (f.bitfield_bits - 1)) & 1)
    return std::to_string(static_cast<int64_t>(word | ~((uint64_t{1} << f.bitfield_bits) - 1)));
  return std::to_string(word);
}

std::string element_text(const Type& t, const uint8_t* data,
                         const std::vector<std::string>& probe_names, bool in_key) {
  if (t.kind == TypeKind::Record || t.kind == TypeKind::Array)
    return format_record_or_array(t, data, probe_names, in_key);
  if (in_key && t.kind == TypeKind::Pointer) return format_pointer_key(data);
  return format_value(t, data, probe_names);
}

std::string json_element(const Type& t, const uint8_t* data,
                         const std::vector<std::string>& probe_names) {
  if (t.kind == TypeKind::Record || t.kind == TypeKind::Array)
    return json_record_or_array(t, data, probe_names);
  return json_value(t, data, probe_names);
}

} // namespace

std::string format_record_or_array(const Type& type, const uint8_t* data,
                                   const std::vector<std::string>& probe_names, bool in_key) {
  if (type.kind == TypeKind::Array) {
    std::string out = "[";
    uint64_t elem = type.pointee ? type.pointee->size() : 1;
    for (uint64_t i = 0; type.pointee && i < type.count; ++i) {
      if (i) out += ",";
      out += element_text(*type.pointee, data + i * elem, probe_names, in_key);
    }
    return out + "]";
  }
  if (type.kind != TypeKind::Record || !type.record) return format_value(type, data, probe_names);
  std::string out = in_key ? "{" : "{ ";
  bool first = true;
  for (const auto& f : type.record->fields) {
    if (!f.type) continue;
    if (!first) out += in_key ? "," : ", ";
    first = false;
    out += "." + f.name + (in_key ? "=" : " = ");
    if (f.bitfield_bits)
      out += bitfield_value(f, data);
    else
      out += element_text(*f.type, data + f.offset, probe_names, in_key);
  }
  return out + (in_key ? "}" : " }");
}

std::string json_record_or_array(const Type& type, const uint8_t* data,
                                 const std::vector<std::string>& probe_names) {
  if (type.kind == TypeKind::Array) {
    std::string out = "[";
    uint64_t elem = type.pointee ? type.pointee->size() : 1;
    for (uint64_t i = 0; type.pointee && i < type.count; ++i) {
      if (i) out += ",";
      out += json_element(*type.pointee, data + i * elem, probe_names);
    }
    return out + "]";
  }
  if (type.kind != TypeKind::Record || !type.record) return json_value(type, data, probe_names);
  std::string out = "{ ";
  bool first = true;
  for (const auto& f : type.record->fields) {
    if (!f.type) continue;
    if (!first) out += ", ";
    first = false;
    out += "\"" + json_escape(f.name) + "\": ";
    if (f.bitfield_bits)
      out += bitfield_value(f, data);
    else
      out += json_element(*f.type, data + f.offset, probe_names);
  }
  return out + " }";
}

} // namespace tracelet::runtime
