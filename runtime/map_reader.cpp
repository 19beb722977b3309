#include "runtime/map_reader.h"

#include "ast/diagnostics.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <cerrno>
#include <cstring>

namespace tracelet::runtime {

namespace {

size_t possible_cpus() {
  static const int n = libbpf_num_possible_cpus();
  if (n <= 0) throw Error("cannot count the possible CPUs: " + std::string(std::strerror(-n)));
  return static_cast<size_t>(n);
}

// The kernel hands per-CPU values as one 8-byte-aligned slot per possible CPU.
size_t value_stride(const codegen::MapDesc& map) {
  return (map.value_size + 7) / 8 * 8;
}

size_t value_buffer_size(const codegen::MapDesc& map) {
  return map.per_cpu ? value_stride(map) * possible_cpus() : map.value_size;
}

std::vector<std::vector<uint8_t>> all_keys(int fd, const codegen::MapDesc& map) {
  std::vector<std::vector<uint8_t>> keys;
  std::vector<uint8_t> key(map.key_size), next(map.key_size);
  const void* prev = nullptr; // NULL asks for the first key
  while (bpf_map_get_next_key(fd, prev, next.data()) == 0) {
    keys.push_back(next);
    key = next;
    prev = key.data();
    if (keys.size() > map.max_entries + 1u)
      break; // entries deleted under us can restart the walk; never loop forever
  }
  return keys;
}

bool is_array(const codegen::MapDesc& map) {
  return map.bpf_type == BPF_MAP_TYPE_ARRAY || map.bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

} // namespace

std::vector<MapEntry> read_map(int fd, const codegen::MapDesc& map) {
  std::vector<MapEntry> entries;
  std::vector<uint8_t> buffer(value_buffer_size(map));
  for (auto& key : all_keys(fd, map)) {
    if (bpf_map_lookup_elem(fd, key.data(), buffer.data()) != 0) {
      if (errno == ENOENT) continue; // deleted since we listed it
      throw Error("cannot read map " + map.name + ": " + std::strerror(errno));
    }
    MapEntry entry;
    entry.key = std::move(key);
    if (map.per_cpu) {
      size_t stride = value_stride(map);
      for (size_t cpu = 0; cpu < possible_cpus(); ++cpu)
        entry.values.emplace_back(buffer.begin() + static_cast<std::ptrdiff_t>(cpu * stride),
                                  buffer.begin() +
                                      static_cast<std::ptrdiff_t>(cpu * stride + map.value_size));
    } else {
      entry.values.push_back(buffer);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

void zero_map(int fd, const codegen::MapDesc& map) {
  std::vector<uint8_t> zeros(value_buffer_size(map), 0);
  for (const auto& key : all_keys(fd, map))
    if (bpf_map_update_elem(fd, key.data(), zeros.data(), BPF_EXIST) != 0 && errno != ENOENT)
      throw Error("cannot zero map " + map.name + ": " + std::strerror(errno));
}

void clear_map(int fd, const codegen::MapDesc& map) {
  if (is_array(map)) {
    zero_map(fd, map);
    return;
  }
  for (const auto& key : all_keys(fd, map))
    if (bpf_map_delete_elem(fd, key.data()) != 0 && errno != ENOENT)
      throw Error("cannot clear map " + map.name + ": " + std::strerror(errno));
}

} // namespace tracelet::runtime
