#include "runtime/output/map_rows.h"

#include "runtime/output/value_format.h"

#include <linux/bpf.h>

#include <algorithm>
#include <cstring>
#include <map>

namespace tracelet::runtime {

namespace {

using ast::Type;
using ast::TypeKind;

uint64_t u64_at(const std::vector<uint8_t>& bytes, size_t offset) {
  if (bytes.size() < offset + 8) return 0;
  return read_unsigned(bytes.data() + offset, 8);
}

bool is_array(const codegen::MapDesc& map) {
  return map.bpf_type == BPF_MAP_TYPE_ARRAY || map.bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

// bpftrace's sort_by_key for one key element: integers as unsigned, strings bytewise up to
// NUL; other kinds do not order.
int compare_key_element(const Type& t, const uint8_t* a, const uint8_t* b) {
  switch (t.kind) {
  case TypeKind::Integer:
  case TypeKind::Probe: {
    uint64_t x = read_unsigned(a, t.size()), y = read_unsigned(b, t.size());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  case TypeKind::String:
    return std::strncmp(reinterpret_cast<const char*>(a), reinterpret_cast<const char*>(b),
                        t.bytes);
  case TypeKind::Tuple: {
    auto offsets = t.offsets();
    for (size_t i = 0; i < t.elems.size(); ++i)
      if (int c = compare_key_element(t.elems[i], a + offsets[i], b + offsets[i])) return c;
    return 0;
  }
  default:
    return 0;
  }
}

// Raw byte order first (as bpftrace's std::map of keys), then bpftrace's key order.
void sort_by_key(const Type& key, std::vector<const MapEntry*>& rows) {
  std::sort(rows.begin(), rows.end(),
            [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
  if (key.is_none()) return;
  std::stable_sort(rows.begin(), rows.end(), [&](const MapEntry* a, const MapEntry* b) {
    if (a->key.size() < key.size() || b->key.size() < key.size()) return false;
    return compare_key_element(key, a->key.data(), b->key.data()) < 0;
  });
}

// The entries that `top` leaves: the last `top` of the sorted ones.
template <typename T> void keep_top(std::vector<T>& rows, uint64_t top) {
  if (top && rows.size() > top)
    rows.erase(rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(top));
}

} // namespace

uint64_t fold_sum(const MapEntry& e) {
  uint64_t total = 0;
  for (const auto& v : e.values)
    total += u64_at(v, 0);
  return total;
}

std::optional<int64_t> fold_min_max(const MapEntry& e, bool is_max) {
  std::optional<int64_t> result;
  for (const auto& v : e.values) {
    if (u64_at(v, 8) == 0) // is_set
      continue;
    int64_t x = static_cast<int64_t>(u64_at(v, 0));
    if (!result || (is_max ? x > *result : x < *result)) result = x;
  }
  return result;
}

AverageRow fold_avg(const MapEntry& e) {
  AverageRow f{&e};
  for (const auto& v : e.values) {
    f.count += u64_at(v, 0);
    f.total += static_cast<int64_t>(u64_at(v, 8));
  }
  return f;
}

std::vector<ValueRow> value_rows(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                                 uint64_t top, uint64_t div, bool zeroed) {
  if (div == 0) div = 1;
  const Type& value = map.value;
  struct Row {
    ValueRow row;
    int64_t signed_value = 0;
    uint64_t unsigned_value = 0;
  };
  std::vector<const MapEntry*> ordered;
  for (const auto& e : entries)
    ordered.push_back(&e);
  sort_by_key(map.key, ordered);

  std::vector<Row> rows;
  bool by_value = true, is_signed = true;
  for (const MapEntry* e : ordered) {
    if (e->values.empty()) continue;
    Row row{{e, {}}};
    switch (value.kind) {
    case TypeKind::Count:
      is_signed = false;
      row.unsigned_value = fold_sum(*e);
      row.row.number = std::to_string(row.unsigned_value / div);
      break;
    case TypeKind::Sum:
      row.signed_value = static_cast<int64_t>(fold_sum(*e));
      // bpftrace keeps a keyless sum() in a hash (count() in an array): a slot still at 0 is,
      // almost always, one never written or cleared, which bpftrace shows as an empty map.
      if (row.signed_value == 0 && is_array(map) && !zeroed) continue;
      // A sum of unsigned values (is_signed false on the Sum type) prints unsigned.
      is_signed = value.is_signed;
      row.unsigned_value = static_cast<uint64_t>(row.signed_value);
      row.row.number = is_signed ? std::to_string(row.signed_value / static_cast<int64_t>(div))
                                 : std::to_string(row.unsigned_value / div);
      break;
    case TypeKind::Min:
    case TypeKind::Max: {
      auto v = fold_min_max(*e, value.kind == TypeKind::Max);
      if (!v) {
        // A keyless array slot that was never set is what bpftrace shows as an empty map;
        // in a hash, an entry always exists because it was set.
        if (is_array(map) && !zeroed) continue;
        v = 0;
      }
      row.signed_value = *v;
      row.row.number = std::to_string(*v / static_cast<int64_t>(div));
      break;
    }
    case TypeKind::Integer: {
      const auto& bytes = e->values[0];
      if (bytes.size() < value.bytes) continue;
      is_signed = value.is_signed;
      row.signed_value = read_signed(bytes.data(), value.bytes);
      row.unsigned_value = read_unsigned(bytes.data(), value.bytes);
      row.row.number = is_signed ? std::to_string(row.signed_value / static_cast<int64_t>(div))
                                 : std::to_string(row.unsigned_value / div);
      break;
    }
    default:
      by_value = false;
      if (e->values[0].size() < value.size()) continue;
      break;
    }
    rows.push_back(std::move(row));
  }
  if (by_value)
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
      return is_signed ? a.signed_value < b.signed_value : a.unsigned_value < b.unsigned_value;
    });
  keep_top(rows, top);
  std::vector<ValueRow> out;
  for (auto& row : rows)
    out.push_back(std::move(row.row));
  return out;
}

std::vector<AverageRow> average_rows(const codegen::MapDesc& map,
                                     const std::vector<MapEntry>& entries, uint64_t top,
                                     bool zeroed) {
  std::vector<const MapEntry*> ordered;
  for (const auto& e : entries)
    ordered.push_back(&e);
  std::sort(ordered.begin(), ordered.end(),
            [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
  std::vector<AverageRow> rows;
  for (const MapEntry* e : ordered) {
    AverageRow f = fold_avg(*e);
    if (f.count == 0 && is_array(map) && !zeroed)
      continue; // keyless slot never written: bpftrace shows an empty map
    rows.push_back(f);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const AverageRow& a, const AverageRow& b) {
    return a.average() < b.average();
  });
  keep_top(rows, top);
  return rows;
}

std::vector<HistRow> hist_rows(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                               uint64_t top) {
  auto bucket_count = static_cast<size_t>(ast::bucket_count(map.value));
  // Buckets of each user key; the BPF key is {user key padded to 8; u64 bucket}.
  std::map<std::vector<uint8_t>, std::vector<uint64_t>> by_key;
  for (const auto& e : entries) {
    if (e.key.size() < 8) continue;
    std::vector<uint8_t> user_key(e.key.begin(), e.key.end() - 8);
    uint64_t bucket = read_unsigned(e.key.data() + e.key.size() - 8, 8);
    auto& counts = by_key[user_key];
    counts.resize(bucket_count);
    if (bucket < bucket_count) counts[bucket] += fold_sum(e);
  }
  std::vector<HistRow> rows;
  for (auto& [key, counts] : by_key) {
    uint64_t total = 0;
    for (uint64_t c : counts)
      total += c;
    rows.push_back({key, std::move(counts), total});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const HistRow& a, const HistRow& b) { return a.total < b.total; });
  keep_top(rows, top);
  return rows;
}

std::string render_map(const MapRenderers& renderers, const codegen::MapDesc& map,
                       const std::vector<MapEntry>& entries,
                       const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                       bool zeroed) {
  if (div == 0) div = 1;
  switch (map.value.kind) {
  case ast::TypeKind::Hist:
  case ast::TypeKind::Lhist:
    return renderers.hist(map, entries, probe_names, top, div, zeroed);
  case ast::TypeKind::Avg:
  case ast::TypeKind::Stats:
    return renderers.average(map, entries, probe_names, top, div, zeroed);
  default:
    return renderers.value(map, entries, probe_names, top, div, zeroed);
  }
}

} // namespace tracelet::runtime
