#include "runtime/kernel/btf.h"

#include "ast/diagnostics.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

namespace tracelet::runtime {

using ast::Type;

namespace {

std::string record_c_name(const struct btf* btf, const struct btf_type* t) {
  const char* name = btf__name_by_offset(btf, t->name_off);
  return std::string(btf_is_union(t) ? "union " : "struct ") + (name ? name : "");
}

// `char[N]` (const/volatile allowed, typedefs such as u8 not): a string, as in bpftrace.
bool is_char_element(const struct btf* btf, uint32_t id) {
  const struct btf_type* t = btf__type_by_id(btf, id);
  while (t && (btf_is_const(t) || btf_is_volatile(t)))
    t = btf__type_by_id(btf, t->type);
  if (!t || !btf_is_int(t) || t->size != 1) return false;
  const char* name = btf__name_by_offset(btf, t->name_off);
  return name && std::strstr(name, "char") != nullptr;
}

} // namespace

KernelBtf::KernelBtf(std::string path) : path_(std::move(path)) {}

KernelBtf::~KernelBtf() {
  btf__free(btf_);
}

bool KernelBtf::load() {
  if (tried_) return btf_ != nullptr;
  tried_ = true;
  struct btf* b = path_.empty() ? btf__load_vmlinux_btf() : btf__parse(path_.c_str(), nullptr);
  if (!b) return false; // libbpf returns NULL with errno set; callers report "unknown type"
  btf_ = b;
  return true;
}

uint32_t KernelBtf::skip_modifiers(uint32_t id) {
  while (id) {
    const struct btf_type* t = btf__type_by_id(btf_, id);
    if (!t) return 0;
    if (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t) || btf_is_restrict(t) ||
        btf_is_type_tag(t) || btf_is_decl_tag(t))
      id = t->type;
    else
      return id;
  }
  return 0;
}

std::shared_ptr<ast::RecordDef> KernelBtf::record_for_id(uint32_t id) {
  const struct btf_type* t = btf__type_by_id(btf_, id);
  if (btf_is_fwd(t)) {
    // A forward declaration: the complete type, if the kernel has one, carries the layout.
    const char* name = btf__name_by_offset(btf_, t->name_off);
    int kind = btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
    int full = name && *name ? btf__find_by_name_kind(btf_, name, kind) : -1;
    if (full > 0) return record_for_id(static_cast<uint32_t>(full));
    auto it = records_.find(id);
    if (it != records_.end()) return it->second;
    auto def = std::make_shared<ast::RecordDef>();
    def->name = std::string(kind == BTF_KIND_UNION ? "union " : "struct ") + (name ? name : "");
    def->is_union = kind == BTF_KIND_UNION;
    return records_[id] = def; // size 0, no fields: known only by name
  }
  auto it = records_.find(id);
  if (it != records_.end()) return it->second;
  auto def = std::make_shared<ast::RecordDef>();
  def->name = record_c_name(btf_, t);
  def->size = t->size;
  def->is_union = btf_is_union(t);
  records_[id] = def;
  bool anonymous = t->name_off == 0 || !*btf__name_by_offset(btf_, t->name_off);
  if (anonymous)
    fill(*def, id); // cannot be looked up by name later
  else
    def->fields_pending = true;
  return def;
}

void KernelBtf::fill(ast::RecordDef& def, uint32_t id) {
  def.fields_pending = false;
  def.fields.clear();
  add_members(def, id, 0);
}

void KernelBtf::add_members(ast::RecordDef& def, uint32_t id, uint64_t base_bits) {
  const struct btf_type* t = btf__type_by_id(btf_, id);
  const struct btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i, ++m) {
    uint64_t bit_offset = base_bits + btf_member_bit_offset(t, i);
    uint32_t bits = btf_member_bitfield_size(t, i);
    const char* name = btf__name_by_offset(btf_, m->name_off);
    uint32_t member_id = skip_modifiers(m->type);
    const struct btf_type* mt = member_id ? btf__type_by_id(btf_, member_id) : nullptr;
    if ((!name || !*name) && mt && (btf_is_struct(mt) || btf_is_union(mt))) {
      // An anonymous struct/union member: its fields are named as if they were ours.
      add_members(def, member_id, bit_offset);
      continue;
    }
    if (!name || !*name) continue;
    ast::Field f;
    f.name = name;
    if (bits) {
      // Read the smallest naturally sized word holding the bits, starting at their first byte.
      uint64_t first_byte = bit_offset / 8;
      uint32_t shift = static_cast<uint32_t>(bit_offset % 8);
      uint64_t bytes = 1;
      while (bytes < 8 && shift + bits > bytes * 8)
        bytes *= 2;
      f.offset = first_byte;
      f.bitfield_bits = bits;
      f.bitfield_shift = shift;
      f.type = std::make_shared<Type>(Type::integer(bytes, false));
    } else {
      f.offset = bit_offset / 8;
      Type ft = convert(m->type);
      if (ft.is_none()) continue; // floats, functions: nothing tracelet can hold
      f.type = std::make_shared<Type>(std::move(ft));
    }
    def.fields.push_back(std::move(f));
  }
}

Type KernelBtf::convert(uint32_t type_id) {
  uint32_t id = skip_modifiers(type_id);
  if (!id) return Type::none(); // void
  const struct btf_type* t = btf__type_by_id(btf_, id);
  if (btf_is_int(t)) {
    bool is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
    if (btf_int_encoding(t) & BTF_INT_BOOL) is_signed = false;
    uint64_t bytes = t->size;
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) return Type::none(); // __int128
    return Type::integer(bytes, is_signed);
  }
  if (btf_is_any_enum(t)) {
    uint64_t bytes = t->size;
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) bytes = 4;
    return Type::integer(bytes, btf_kflag(t));
  }
  if (btf_is_ptr(t)) {
    uint32_t target = skip_modifiers(t->type);
    const struct btf_type* pt = target ? btf__type_by_id(btf_, target) : nullptr;
    if (pt && (btf_is_struct(pt) || btf_is_union(pt) || btf_is_fwd(pt)))
      return Type::pointer(Type::of_record(record_for_id(target)), ast::AddrSpace::Kernel);
    Type pointee = pt ? convert(target) : Type::none();
    if (pointee.is_none() || pointee.is_string()) pointee = Type::integer(1, false); // void *
    if (pt && btf_is_int(pt) && pt->size == 1) pointee = Type::integer(1, true);     // char *
    return Type::pointer(std::move(pointee), ast::AddrSpace::Kernel);
  }
  if (btf_is_array(t)) {
    const struct btf_array* a = btf_array(t);
    if (is_char_element(btf_, a->type) && a->nelems > 0) return Type::string(a->nelems);
    Type elem = convert(a->type);
    if (elem.is_none()) return Type::none();
    return Type::array(std::move(elem), a->nelems);
  }
  if (btf_is_struct(t) || btf_is_union(t) || btf_is_fwd(t))
    return Type::of_record(record_for_id(id), ast::AddrSpace::Kernel);
  return Type::none(); // float, function prototypes
}

std::shared_ptr<const ast::RecordDef> KernelBtf::function_args(const std::string& func) {
  if (!load()) return nullptr;
  int id = btf__find_by_name_kind(btf_, func.c_str(), BTF_KIND_FUNC);
  if (id <= 0) return nullptr;
  const struct btf_type* proto = btf__type_by_id(btf_, btf__type_by_id(btf_, id)->type);
  if (!proto || !btf_is_func_proto(proto)) return nullptr;
  auto def = std::make_shared<ast::RecordDef>();
  def->name = "struct " + func + "_args";
  uint64_t slot = 0;
  const struct btf_param* params = btf_params(proto);
  for (uint16_t i = 0; i < btf_vlen(proto); ++i) {
    const char* name = btf__name_by_offset(btf_, params[i].name_off);
    Type t = convert(params[i].type);
    uint64_t slots = t.kind == ast::TypeKind::Record && t.size() > 8 ? 2 : 1;
    if (name && *name && !t.is_none())
      def->fields.push_back({name, std::make_shared<Type>(std::move(t)), 8 * slot});
    slot += slots;
  }
  if (Type ret = convert(proto->type); !ret.is_none())
    def->fields.push_back({"$retval", std::make_shared<Type>(std::move(ret)), 8 * slot++});
  def->size = 8 * slot;
  return def;
}

std::shared_ptr<const ast::RecordDef> KernelBtf::record(const std::string& c_name) {
  bool is_union = c_name.rfind("union ", 0) == 0;
  if (!is_union && c_name.rfind("struct ", 0) != 0) return nullptr;
  if (!load()) return nullptr;
  std::string name = c_name.substr(is_union ? 6 : 7);
  int id = btf__find_by_name_kind(btf_, name.c_str(), is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT);
  if (id <= 0) return nullptr;
  auto def = record_for_id(static_cast<uint32_t>(id));
  if (def->fields_pending) fill(*def, static_cast<uint32_t>(id));
  return def;
}

std::optional<Type> KernelBtf::named_type(const std::string& name) {
  if (!load()) return std::nullopt;
  if (name.rfind("enum ", 0) == 0) {
    std::string bare = name.substr(5);
    for (int kind : {int(BTF_KIND_ENUM), int(BTF_KIND_ENUM64)}) {
      int id = btf__find_by_name_kind(btf_, bare.c_str(), kind);
      if (id > 0) return convert(static_cast<uint32_t>(id));
    }
    return std::nullopt;
  }
  for (int kind : {int(BTF_KIND_TYPEDEF), int(BTF_KIND_INT)}) {
    int id = btf__find_by_name_kind(btf_, name.c_str(), kind);
    if (id <= 0) continue;
    Type t = convert(static_cast<uint32_t>(id));
    if (!t.is_none()) return t;
  }
  return std::nullopt;
}

std::optional<int64_t> KernelBtf::enum_constant(const std::string& name) {
  if (!enum_constants_) {
    enum_constants_.emplace();
    if (!load()) return std::nullopt;
    uint32_t count = btf__type_cnt(btf_);
    for (uint32_t id = 1; id < count; ++id) {
      const struct btf_type* t = btf__type_by_id(btf_, id);
      if (btf_is_enum(t)) {
        const struct btf_enum* e = btf_enum(t);
        for (uint16_t i = 0; i < btf_vlen(t); ++i, ++e)
          enum_constants_->emplace(btf__name_by_offset(btf_, e->name_off),
                                   btf_kflag(t) ? int64_t(e->val) : int64_t(uint32_t(e->val)));
      } else if (btf_is_enum64(t)) {
        const struct btf_enum64* e = btf_enum64(t);
        for (uint16_t i = 0; i < btf_vlen(t); ++i, ++e)
          enum_constants_->emplace(btf__name_by_offset(btf_, e->name_off),
                                   static_cast<int64_t>(btf_enum64_value(e)));
      }
    }
  }
  auto it = enum_constants_->find(name);
  if (it == enum_constants_->end()) return std::nullopt;
  return it->second;
}

} // namespace tracelet::runtime
