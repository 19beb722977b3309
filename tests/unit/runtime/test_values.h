// Builders of raw bytes laid out per ast/types.h, for feeding the runtime's decoders.
#pragma once

#include "ast/types.h"
#include "codegen/compiled_program.h"
#include "runtime/output/map_printer.h"

#include <cstring>
#include <linux/bpf.h>
#include <string>
#include <vector>

namespace tracelet::test {

using ast::Type;
using ast::TypeKind;

// The bytes of a tuple of `types`, filled field by field.
class Bytes {
public:
  explicit Bytes(std::vector<Type> types) : tuple_(Type::tuple(std::move(types))) {
    data_.assign(tuple_.size(), 0);
    offsets_ = tuple_.offsets();
  }
  Bytes& i(size_t field, int64_t v) {
    std::memcpy(data_.data() + offsets_[field], &v, tuple_.elems[field].size());
    return *this;
  }
  Bytes& s(size_t field, const std::string& v) {
    std::memcpy(data_.data() + offsets_[field], v.data(),
                std::min<size_t>(v.size(), tuple_.elems[field].size()));
    return *this;
  }
  const std::vector<uint8_t>& data() const { return data_; }
  const Type& type() const { return tuple_; }

private:
  Type tuple_;
  std::vector<uint8_t> data_;
  std::vector<uint64_t> offsets_;
};

inline std::vector<uint8_t> u64_bytes(uint64_t v) {
  std::vector<uint8_t> b(8);
  std::memcpy(b.data(), &v, 8);
  return b;
}

inline std::vector<uint8_t> concat(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline std::vector<uint8_t> string_bytes(const std::string& s, size_t size = 64) {
  std::vector<uint8_t> b(size, 0);
  std::memcpy(b.data(), s.data(), std::min(s.size(), size));
  return b;
}

// A map as codegen describes it, following the brief's map rules.
inline codegen::MapDesc map_desc(const std::string& name, Type key, Type value) {
  codegen::MapDesc m;
  m.name = name;
  m.elf_name = "AT_" + name.substr(1);
  m.key = key;
  m.value = value;
  m.max_entries = 4096;
  bool keyless = key.is_none();
  if (value.kind == TypeKind::Hist || value.kind == TypeKind::Lhist) {
    m.bpf_type = BPF_MAP_TYPE_PERCPU_HASH;
    m.key_size = static_cast<uint32_t>((key.size() + 7) / 8 * 8 + 8);
    m.per_cpu = true;
  } else if (value.is_aggregation()) {
    m.bpf_type = keyless ? BPF_MAP_TYPE_PERCPU_ARRAY : BPF_MAP_TYPE_PERCPU_HASH;
    m.key_size = keyless ? 4 : static_cast<uint32_t>(key.size());
    m.per_cpu = true;
  } else {
    m.bpf_type = BPF_MAP_TYPE_HASH;
    m.key_size = keyless ? 8 : static_cast<uint32_t>(key.size());
  }
  m.value_size = static_cast<uint32_t>(value.size());
  return m;
}

// Per-CPU values of an aggregation entry.
inline runtime::MapEntry entry(std::vector<uint8_t> key,
                               std::vector<std::vector<uint8_t>> per_cpu_values) {
  return runtime::MapEntry{std::move(key), std::move(per_cpu_values)};
}

inline std::vector<uint8_t> minmax_bytes(int64_t v, bool set = true) {
  return concat(u64_bytes(static_cast<uint64_t>(v)), u64_bytes(set ? 1 : 0));
}
inline std::vector<uint8_t> avg_bytes(uint64_t count, int64_t total) {
  return concat(u64_bytes(count), u64_bytes(static_cast<uint64_t>(total)));
}

} // namespace tracelet::test
