// BPF maps as BTF-defined globals in the ".maps" section, the form libbpf expects:
//   struct { int (*type)[T]; int (*max_entries)[N]; int (*key_size)[K]; int (*value_size)[V]; }
// The numbers live only in the debug info (array lengths), which the BPF backend turns into
// .BTF; this is what libbpf's __uint() macro produces from C.
#pragma once

#include "ast/types.h"
#include "codegen/compiled_program.h"
#include "codegen/debug_info.h"

#include <llvm/IR/Module.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tracelet::codegen {

// BPF_MAP_TYPE_* values used here.
enum BpfMapType : uint32_t {
  kMapHash = 1,
  kMapArray = 2,
  kMapPerfEventArray = 4,
  kMapPercpuHash = 5,
  kMapPercpuArray = 6,
  kMapStackTrace = 7,
};

constexpr uint32_t kUserMapEntries = 4096;

struct MapDef {
  std::string elf_name;
  uint32_t type = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0; // 0: omitted (libbpf sizes a perf event array to the CPU count)
  llvm::GlobalVariable* gv = nullptr;
};

// A user-visible map and how codegen stores it.
struct UserMap {
  size_t desc_index = 0; // into CompiledProgram::maps
  llvm::GlobalVariable* gv = nullptr;
  ast::Type key;   // user key type (None if keyless)
  ast::Type value; // value type (an aggregation kind for count() ...)
  bool keyless = false;
  bool bucketed = false;       // hist/lhist: BPF key = {user key padded to 8; u64 bucket}
  uint64_t user_key_bytes = 0; // bytes of the user key part of the BPF key
  uint32_t bpf_key_size = 0;
};

class MapRegistry {
public:
  explicit MapRegistry(llvm::Module& module) : module_(module) {}

  // Declares a map global; its size fields may still change until emit_debug_info().
  MapDef& define(const std::string& elf_name, uint32_t type, uint32_t key_size, uint32_t value_size,
                 uint32_t max_entries);
  MapDef* find(const std::string& elf_name);

  // The user map `name` with the given key and value types, created on first use (its
  // MapDesc appended to `descs`).
  UserMap& user_map(const std::string& name, const ast::Type& key, const ast::Type& value,
                    std::vector<MapDesc>& descs);
  UserMap* find_user(const std::string& name);

  // Attaches the BTF-describing debug info to every map global. Call once, at the end.
  void emit_debug_info(BtfDebugInfo& debug_info);

private:
  llvm::Module& module_;
  std::vector<std::unique_ptr<MapDef>> defs_;
  std::map<std::string, UserMap> user_;
};

// "@" -> "AT_", "@opens" -> "AT_opens".
std::string elf_map_name(const std::string& user_name);

} // namespace tracelet::codegen
