#include "runtime/map_limits.h"

#include "ast/diagnostics.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <cstdio>

namespace tracelet::runtime {

namespace {

bool is_hash(const codegen::MapDesc& map) {
  return map.bpf_type == BPF_MAP_TYPE_HASH || map.bpf_type == BPF_MAP_TYPE_PERCPU_HASH;
}

uint64_t count_keys(int fd, uint32_t key_size, uint64_t stop_at) {
  std::vector<uint8_t> key(key_size), next(key_size);
  uint64_t n = 0;
  const void* prev = nullptr;
  while (n < stop_at && bpf_map_get_next_key(fd, prev, next.data()) == 0) {
    ++n;
    key.swap(next);
    prev = key.data();
  }
  return n;
}

} // namespace

void apply_map_keys_max(BpfObject& obj, const codegen::CompiledProgram& program,
                        uint32_t keys_max) {
  if (keys_max == 0) return;
  for (const auto& map : program.maps) {
    if (!is_hash(map)) continue;
    bpf_map* m = bpf_object__find_map_by_name(obj.get(), map.elf_name.c_str());
    if (m && bpf_map__set_max_entries(m, keys_max) != 0)
      throw Error("cannot size map " + map.name + " to " + std::to_string(keys_max) + " keys");
  }
}

void FullMapWarnings::check() {
  for (size_t i = 0; i < program_.maps.size() && i < map_fds_.size(); ++i) {
    const auto& map = program_.maps[i];
    if (warned_[i] || !is_hash(map) || map_fds_[i] < 0) continue;
    uint32_t limit = keys_max_ ? keys_max_ : map.max_entries;
    if (limit == 0 || count_keys(map_fds_[i], map.key_size, limit) < limit) continue;
    warned_[i] = true;
    std::fprintf(stderr,
                 "tracelet: warning: map %s is full (%u entries): new keys are dropped; raise "
                 "the limit with --map-keys-max or BPFTRACE_MAP_KEYS_MAX\n",
                 map.name.c_str(), limit);
  }
}

} // namespace tracelet::runtime
