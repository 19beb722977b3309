#include "codegen/maps.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

namespace {

uint64_t round_up8(uint64_t n) {
  return (n + 7) / 8 * 8;
}

} // namespace

std::string elf_map_name(const std::string& user_name) {
  return "AT_" + (user_name.size() > 1 ? user_name.substr(1) : std::string());
}

MapDef& MapRegistry::define(const std::string& elf_name, uint32_t type, uint32_t key_size,
                            uint32_t value_size, uint32_t max_entries) {
  auto def = std::make_unique<MapDef>();
  def->elf_name = elf_name;
  def->type = type;
  def->key_size = key_size;
  def->value_size = value_size;
  def->max_entries = max_entries;
  // One pointer per BTF member: type, [max_entries], key_size, value_size.
  auto& ctx = module_.getContext();
  auto* ptr = llvm::Type::getInt8PtrTy(ctx);
  std::vector<llvm::Type*> fields(max_entries ? 4 : 3, ptr);
  auto* struct_ty = llvm::StructType::get(ctx, fields);
  def->gv = new llvm::GlobalVariable(module_, struct_ty, false, llvm::GlobalValue::ExternalLinkage,
                                     llvm::ConstantAggregateZero::get(struct_ty), elf_name);
  def->gv->setSection(".maps");
  def->gv->setAlignment(llvm::Align(8));
  defs_.push_back(std::move(def));
  return *defs_.back();
}

MapDef* MapRegistry::find(const std::string& elf_name) {
  for (auto& d : defs_)
    if (d->elf_name == elf_name) return d.get();
  return nullptr;
}

UserMap* MapRegistry::find_user(const std::string& name) {
  auto it = user_.find(name);
  return it == user_.end() ? nullptr : &it->second;
}

UserMap& MapRegistry::user_map(const std::string& name, const ast::Type& key,
                               const ast::Type& value, std::vector<MapDesc>& descs) {
  if (auto* existing = find_user(name)) return *existing;
  UserMap um;
  um.key = key;
  um.value = value;
  um.keyless = key.is_none();
  um.bucketed = value.kind == ast::TypeKind::Hist || value.kind == ast::TypeKind::Lhist;

  MapDesc desc;
  desc.name = name;
  desc.elf_name = elf_map_name(name);
  desc.key = key;
  desc.value = value;
  desc.value_size = static_cast<uint32_t>(value.size());
  desc.max_entries = kUserMapEntries;
  if (um.bucketed) {
    um.user_key_bytes = round_up8(key.size());
    desc.bpf_type = kMapPercpuHash;
    desc.key_size = static_cast<uint32_t>(um.user_key_bytes + 8);
    desc.per_cpu = true;
  } else if (value.is_aggregation()) {
    um.user_key_bytes = key.size();
    desc.per_cpu = true;
    if (um.keyless) {
      desc.bpf_type = kMapPercpuArray; // one slot, updated in place
      desc.key_size = 4;
      desc.max_entries = 1;
    } else {
      desc.bpf_type = kMapPercpuHash;
      desc.key_size = static_cast<uint32_t>(key.size());
    }
  } else {
    desc.bpf_type = kMapHash;
    um.user_key_bytes = um.keyless ? 8 : key.size();
    desc.key_size = static_cast<uint32_t>(um.user_key_bytes);
  }
  if (desc.key_size == 0 || desc.value_size == 0)
    throw Error("map " + name + " has an empty key or value (" + key.str() + " -> " + value.str() +
                ")");
  um.bpf_key_size = desc.key_size;
  um.gv = define(desc.elf_name, desc.bpf_type, desc.key_size, desc.value_size, desc.max_entries).gv;
  um.desc_index = descs.size();
  descs.push_back(std::move(desc));
  return user_.emplace(name, std::move(um)).first->second;
}

void MapRegistry::emit_debug_info(BtfDebugInfo& debug_info) {
  for (auto& def : defs_) {
    std::vector<std::pair<const char*, uint64_t>> fields = {{"type", def->type}};
    if (def->max_entries) fields.emplace_back("max_entries", def->max_entries);
    fields.emplace_back("key_size", def->key_size);
    fields.emplace_back("value_size", def->value_size);
    debug_info.describe_map(*def->gv, fields);
  }
}

} // namespace tracelet::codegen
