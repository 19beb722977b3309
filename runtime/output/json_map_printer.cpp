#include "runtime/output/json_map_printer.h"

#include "runtime/output/json_output.h"

namespace tracelet::runtime {

namespace {

using ast::TypeKind;

// One element of a JSON map body: the bare value of a keyless map, else "key": value.
std::string json_entry(const codegen::MapDesc& map, const std::vector<uint8_t>& key,
                       const std::vector<std::string>& probe_names, const std::string& value) {
  if (map.key.is_none() || key.size() < map.key.size()) return value;
  return json_key(map.key, key.data(), probe_names) + ": " + value;
}

// count, sum, min, max, plain values.
std::string json_value_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                           const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                           bool zeroed) {
  std::vector<std::string> elements;
  for (const auto& row : value_rows(map, entries, top, div, zeroed))
    elements.push_back(
        json_entry(map, row.entry->key, probe_names,
                   row.number ? *row.number
                              : json_value(map.value, row.entry->values[0].data(), probe_names)));
  return json_map_line("map", map.name, !map.key.is_none(), elements);
}

// avg and stats. bpftrace ignores top and div for stats, and honours them for avg.
std::string json_stats_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                           const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                           bool zeroed) {
  bool stats = map.value.kind == TypeKind::Stats;
  if (stats) top = 0, div = 1;
  std::vector<std::string> elements;
  for (const auto& row : average_rows(map, entries, top, zeroed)) {
    std::string value = stats ? "{\"count\": " + std::to_string(row.count) +
                                    ", \"average\": " + std::to_string(row.average()) +
                                    ", \"total\": " + std::to_string(row.total) + "}"
                              : std::to_string(row.average() / static_cast<int64_t>(div));
    elements.push_back(json_entry(map, row.entry->key, probe_names, value));
  }
  return json_map_line("stats", map.name, !map.key.is_none(), elements);
}

std::string json_hist_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                          const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                          bool /*zeroed*/) {
  bool linear = map.value.kind == TypeKind::Lhist;
  std::vector<std::string> elements;
  for (const auto& row : hist_rows(map, entries, top)) {
    std::string value = linear ? lhist_json(row.counts, map.value.lhist_min, map.value.lhist_max,
                                            map.value.lhist_step)
                               : hist_json(row.counts, div);
    elements.push_back(json_entry(map, row.key, probe_names, value));
  }
  return json_map_line("hist", map.name, !map.key.is_none(), elements);
}

} // namespace

std::string format_map_json(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                            const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                            bool zeroed) {
  return render_map({json_hist_map, json_stats_map, json_value_map}, map, entries, probe_names, top,
                    div, zeroed);
}

} // namespace tracelet::runtime
