#include "ast/passes/map_types.h"

namespace tracelet::ast::passes {

std::optional<Type> unify(const Type& a, const Type& b) {
  if (a.kind != b.kind) return std::nullopt;
  switch (a.kind) {
  case TypeKind::Integer: // (tuple elements of different sizes share the wider layout)
    return a.bytes >= b.bytes ? a : Type::integer(b.bytes, a.is_signed);
  case TypeKind::Pointer: // as bpftrace: a map of int32 * may be assigned an int64 *
    if ((a.as == AddrSpace::Ctx) != (b.as == AddrSpace::Ctx)) return std::nullopt; // ctx: direct
    return a;
  case TypeKind::String:
  case TypeKind::Buffer: // buf() values of different lengths share the largest layout
    return a.bytes >= b.bytes ? a : b;
  case TypeKind::Tuple: {
    if (a.elems.size() != b.elems.size()) return std::nullopt;
    std::vector<Type> elems;
    for (size_t i = 0; i < a.elems.size(); ++i) {
      auto e = unify(a.elems[i], b.elems[i]);
      if (!e) return std::nullopt;
      elems.push_back(*e);
    }
    return Type::tuple(std::move(elems));
  }
  default:
    if (!a.compatible(b)) return std::nullopt;
    return a;
  }
}

std::string where(const Location& loc) {
  return loc.filename() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

namespace {

std::string describe_key(const Type& key) {
  return key.is_none() ? "without a key" : "with key type " + key.str();
}

} // namespace

void MapTypes::use_key(const std::string& map, const Type& key, const Location& loc,
                       Diagnostics& diags) {
  Slot& slot = maps_[map].key;
  if (!slot.known) {
    slot = {key, loc, true};
    return;
  }
  auto merged = unify(slot.type, key);
  if (!merged) {
    diags.error(loc, "map " + map + " is used " + describe_key(key) + " here, but " +
                         describe_key(slot.type) + " at " + where(slot.first_use));
    return;
  }
  slot.type = *merged;
}

void MapTypes::use_value(const std::string& map, const Type& value, const Location& loc,
                         Diagnostics& diags) {
  Slot& slot = maps_[map].value;
  if (!slot.known) {
    slot = {value, loc, true};
    return;
  }
  auto merged = unify(slot.type, value);
  if (!merged) {
    diags.error(loc, "map " + map + " is assigned a value of type " + value.str() +
                         " here, but of type " + slot.type.str() + " at " + where(slot.first_use));
    return;
  }
  slot.type = *merged;
}

const MapTypes::Entry* MapTypes::find(const std::string& map) const {
  auto it = maps_.find(map);
  return it == maps_.end() ? nullptr : &it->second;
}

} // namespace tracelet::ast::passes
