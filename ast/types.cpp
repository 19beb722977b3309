#include "ast/types.h"

#include <algorithm>
#include <bit>

namespace tracelet::ast {

const Field* RecordDef::find(const std::string& field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

Type Type::none() {
  return Type{};
}

Type Type::integer(uint64_t bytes, bool is_signed) {
  Type t;
  t.kind = TypeKind::Integer;
  t.bytes = bytes;
  t.is_signed = is_signed;
  return t;
}

Type Type::string(uint64_t bytes) {
  Type t;
  t.kind = TypeKind::String;
  t.bytes = bytes;
  return t;
}

Type Type::tuple(std::vector<Type> elems) {
  Type t;
  t.kind = TypeKind::Tuple;
  t.elems = std::move(elems);
  return t;
}

Type Type::pointer(Type pointee, AddrSpace as) {
  Type t;
  t.kind = TypeKind::Pointer;
  t.pointee = std::make_shared<Type>(std::move(pointee));
  t.as = as;
  t.bytes = 8;
  return t;
}

Type Type::array(Type elem, uint64_t count) {
  Type t;
  t.kind = TypeKind::Array;
  t.bytes = elem.size() * count;
  t.count = count;
  t.as = elem.as;
  t.pointee = std::make_shared<Type>(std::move(elem));
  return t;
}

Type Type::of_record(std::shared_ptr<const RecordDef> def, AddrSpace as) {
  Type t;
  t.kind = TypeKind::Record;
  t.bytes = def ? def->size : 0;
  t.record = std::move(def);
  t.as = as;
  return t;
}

Type Type::probe() {
  Type t;
  t.kind = TypeKind::Probe;
  t.bytes = 8;
  return t;
}

Type Type::aggregation(TypeKind kind) {
  Type t;
  t.kind = kind;
  t.is_signed = true;
  t.bytes = 8;
  return t;
}

Type Type::lhist(int64_t min, int64_t max, int64_t step) {
  Type t = aggregation(TypeKind::Lhist);
  t.lhist_min = min;
  t.lhist_max = max;
  t.lhist_step = step;
  return t;
}

Type Type::stack(bool user, bool perf_mode, uint32_t depth) {
  Type t;
  t.kind = user ? TypeKind::UStack : TypeKind::KStack;
  t.bytes = 8;
  t.stack_perf = perf_mode;
  t.stack_depth = depth;
  return t;
}

Type Type::ksym() {
  Type t;
  t.kind = TypeKind::KSym;
  t.bytes = 8;
  return t;
}

Type Type::usym() {
  Type t;
  t.kind = TypeKind::USym;
  t.bytes = 16;
  return t;
}

Type Type::timestamp() {
  Type t;
  t.kind = TypeKind::Timestamp;
  t.bytes = 16;
  return t;
}

Type Type::cgroup_path() {
  Type t;
  t.kind = TypeKind::CgroupPath;
  t.bytes = 16;
  return t;
}

Type Type::username() {
  Type t;
  t.kind = TypeKind::Username;
  t.bytes = 8;
  return t;
}

Type Type::strerror() {
  Type t;
  t.kind = TypeKind::Strerror;
  t.bytes = 8;
  return t;
}

Type Type::inet() {
  Type t;
  t.kind = TypeKind::Inet;
  t.bytes = 24;
  return t;
}

Type Type::buffer(uint64_t capacity) {
  Type t;
  t.kind = TypeKind::Buffer;
  t.bytes = capacity + 1;
  return t;
}

Type Type::macaddr() {
  Type t;
  t.kind = TypeKind::MacAddr;
  t.bytes = 6;
  return t;
}

uint64_t Type::size() const {
  switch (kind) {
  case TypeKind::None:
    return 0;
  case TypeKind::Integer:
  case TypeKind::String:
  case TypeKind::Array:
  case TypeKind::Record:
  case TypeKind::Inet:
  case TypeKind::Buffer:
  case TypeKind::MacAddr:
    return bytes;
  case TypeKind::Pointer:
  case TypeKind::Probe:
  case TypeKind::KStack:
  case TypeKind::UStack:
  case TypeKind::KSym:
  case TypeKind::Username:
  case TypeKind::Strerror:
  case TypeKind::Count:
  case TypeKind::Sum:
  case TypeKind::Hist:
  case TypeKind::Lhist:
    return 8;
  case TypeKind::USym:
  case TypeKind::Timestamp:
  case TypeKind::CgroupPath:
  case TypeKind::Min:
  case TypeKind::Max:
  case TypeKind::Avg:
  case TypeKind::Stats:
    return 16;
  case TypeKind::Tuple: {
    if (elems.empty()) return 0;
    auto offs = offsets();
    uint64_t end = offs.back() + elems.back().size();
    uint64_t a = align();
    return (end + a - 1) / a * a;
  }
  }
  return 0;
}

uint64_t Type::align() const {
  switch (kind) {
  case TypeKind::Integer:
    return bytes;
  case TypeKind::String:
  case TypeKind::Buffer:
  case TypeKind::MacAddr:
    return 1;
  case TypeKind::Array:
    return pointee ? pointee->align() : 1;
  case TypeKind::Record:
    if (record && record->align) return record->align;
    return bytes >= 8 ? 8 : std::max<uint64_t>(1, std::bit_floor(bytes));
  case TypeKind::Tuple: {
    uint64_t a = 1;
    for (const auto& e : elems)
      a = std::max(a, tuple_element_align(e));
    return a;
  }
  case TypeKind::None:
    return 1;
  default:
    return 8;
  }
}

// As bpftrace 0.17 lays tuples out: a struct in a tuple is a run of bytes, aligned to 1 (so
// ((int8)1, struct { char c; long l; }) puts the struct at offset 1); every other element is
// aligned as itself.
uint64_t Type::tuple_element_align(const Type& e) {
  return e.kind == TypeKind::Record ? 1 : e.align();
}

std::vector<uint64_t> Type::offsets() const {
  std::vector<uint64_t> offs;
  uint64_t off = 0;
  for (const auto& e : elems) {
    uint64_t a = tuple_element_align(e);
    off = (off + a - 1) / a * a;
    offs.push_back(off);
    off += e.size();
  }
  return offs;
}

bool Type::compatible(const Type& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
  case TypeKind::Integer:
    return bytes == o.bytes && is_signed == o.is_signed;
  case TypeKind::String:
  case TypeKind::Buffer:
    return true;
  case TypeKind::Array:
    return count == o.count && pointee && o.pointee && pointee->compatible(*o.pointee);
  case TypeKind::Tuple:
    if (elems.size() != o.elems.size()) return false;
    for (size_t i = 0; i < elems.size(); ++i)
      if (!elems[i].compatible(o.elems[i])) return false;
    return true;
  case TypeKind::Pointer: // the context pointer is not interchangeable with a copy elsewhere
    return pointee && o.pointee && pointee->compatible(*o.pointee) &&
           (as == AddrSpace::Ctx) == (o.as == AddrSpace::Ctx);
  case TypeKind::Record:
    return record == o.record || (record && o.record && record->name == o.record->name);
  case TypeKind::Lhist:
    return lhist_min == o.lhist_min && lhist_max == o.lhist_max && lhist_step == o.lhist_step;
  case TypeKind::KStack:
  case TypeKind::UStack:
    return stack_depth == o.stack_depth && stack_perf == o.stack_perf;
  default:
    return true;
  }
}

bool Type::operator==(const Type& o) const {
  if (!compatible(o)) return false;
  if ((kind == TypeKind::String || kind == TypeKind::Buffer) && bytes != o.bytes) return false;
  if (kind == TypeKind::Tuple)
    for (size_t i = 0; i < elems.size(); ++i)
      if (elems[i] != o.elems[i]) return false;
  return true;
}

std::string Type::str() const {
  switch (kind) {
  case TypeKind::None:
    return "none";
  case TypeKind::Integer:
    return std::string(is_signed ? "int" : "uint") + std::to_string(bytes * 8);
  case TypeKind::String:
    return "string[" + std::to_string(bytes) + "]";
  case TypeKind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < elems.size(); ++i)
      s += (i ? "," : "") + elems[i].str();
    return s + ")";
  }
  case TypeKind::Pointer: // "(ctx) struct pt_regs *", as bpftrace spells the context pointer
    return (as == AddrSpace::Ctx ? "(ctx) " : "") + (pointee ? pointee->str() : "void") + " *";
  case TypeKind::Array:
    return (pointee ? pointee->str() : "?") + "[" + std::to_string(count) + "]";
  case TypeKind::Record:
    return record ? record->name : "struct ?";
  case TypeKind::Probe:
    return "probe";
  case TypeKind::KStack:
  case TypeKind::UStack: {
    std::string name = kind == TypeKind::KStack ? "kstack" : "ustack";
    if (!stack_perf && stack_depth == kDefaultStackDepth) return name;
    return name + "(" + (stack_perf ? "perf" : "bpftrace") + "," + std::to_string(stack_depth) +
           ")";
  }
  case TypeKind::KSym:
    return "ksym";
  case TypeKind::USym:
    return "usym";
  case TypeKind::Timestamp:
    return "timestamp";
  case TypeKind::Username:
    return "username";
  case TypeKind::Strerror:
    return "strerror";
  case TypeKind::CgroupPath:
    return "cgroup_path";
  case TypeKind::Inet:
    return "inet";
  case TypeKind::Buffer:
    return "buffer[" + std::to_string(bytes - 1) + "]";
  case TypeKind::MacAddr:
    return "macaddr";
  case TypeKind::Count:
    return "count";
  case TypeKind::Sum:
    return "sum";
  case TypeKind::Avg:
    return "avg";
  case TypeKind::Min:
    return "min";
  case TypeKind::Max:
    return "max";
  case TypeKind::Stats:
    return "stats";
  case TypeKind::Hist:
    return "hist";
  case TypeKind::Lhist:
    return "lhist(" + std::to_string(lhist_min) + "," + std::to_string(lhist_max) + "," +
           std::to_string(lhist_step) + ")";
  }
  return "?";
}

uint64_t hist_bucket(int64_t v) {
  if (v < 0) return 0;
  if (v == 0) return 1;
  return 2 + (63 - std::countl_zero(static_cast<uint64_t>(v)));
}

uint64_t lhist_bucket(int64_t v, int64_t min, int64_t max, int64_t step) {
  if (v < min) return 0;
  if (v >= max) return static_cast<uint64_t>((max - min) / step) + 1;
  return 1 + static_cast<uint64_t>((v - min) / step);
}

uint64_t bucket_count(const Type& t) {
  if (t.kind != TypeKind::Lhist) return 66;
  return static_cast<uint64_t>((t.lhist_max - t.lhist_min) / std::max<int64_t>(t.lhist_step, 1)) +
         2;
}

} // namespace tracelet::ast
