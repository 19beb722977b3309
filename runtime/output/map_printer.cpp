// Text layout of bpftrace 0.17 (output.cpp print_map*):
// - count/sum/integer/min/max and other values: one "@m[k]: v" line per entry;
// - avg/stats maps: one line per entry, followed by one blank line;
// - hist/lhist maps: one table per key, each followed by a blank line;
// - an empty map prints one blank line.
#include "runtime/output/map_printer.h"

#include "runtime/output/hist_printer.h"
#include "runtime/output/value_format.h"

namespace tracelet::runtime {

namespace {

using ast::TypeKind;

std::string key_text(const codegen::MapDesc& map, const std::vector<uint8_t>& key,
                     const std::vector<std::string>& probe_names) {
  if (map.key.is_none() || key.size() < map.key.size()) return "";
  return format_key(map.key, key.data(), probe_names);
}

// count, sum, min, max, plain values.
std::string format_value_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                             const std::vector<std::string>& probe_names, uint64_t top,
                             uint64_t div, bool zeroed) {
  auto rows = value_rows(map, entries, top, div, zeroed);
  if (rows.empty()) return "\n";
  std::string out;
  for (const auto& row : rows)
    out += map.name + key_text(map, row.entry->key, probe_names) + ": " +
           (row.number ? *row.number
                       : format_value(map.value, row.entry->values[0].data(), probe_names)) +
           "\n";
  return out;
}

// avg and stats. bpftrace ignores top and div for stats, and honours them for avg.
std::string format_stats_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                             const std::vector<std::string>& probe_names, uint64_t top,
                             uint64_t div, bool zeroed) {
  bool stats = map.value.kind == TypeKind::Stats;
  if (stats) top = 0, div = 1;
  auto rows = average_rows(map, entries, top, zeroed);
  std::string out;
  if (rows.empty()) out += "\n";
  for (const auto& row : rows) {
    out += map.name + key_text(map, row.entry->key, probe_names) + ": ";
    if (stats)
      out += "count " + std::to_string(row.count) + ", average " + std::to_string(row.average()) +
             ", total " + std::to_string(row.total) + "\n";
    else
      out += std::to_string(row.average() / static_cast<int64_t>(div)) + "\n";
  }
  return out + "\n";
}

std::string format_hist_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                            const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                            bool /*zeroed*/) {
  bool linear = map.value.kind == TypeKind::Lhist;
  auto rows = hist_rows(map, entries, top);
  if (rows.empty()) return "\n";
  std::string out;
  for (const auto& row : rows) {
    out += map.name + key_text(map, row.key, probe_names) + ": \n";
    out += linear ? lhist_table(row.counts, map.value.lhist_min, map.value.lhist_max,
                                map.value.lhist_step)
                  : hist_table(row.counts, div);
    out += "\n";
  }
  return out;
}

} // namespace

std::string format_map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                       const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                       bool zeroed) {
  return render_map({format_hist_map, format_stats_map, format_value_map}, map, entries,
                    probe_names, top, div, zeroed);
}

} // namespace tracelet::runtime
