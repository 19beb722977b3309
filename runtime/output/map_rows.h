// A map's entries as the rows bpftrace 0.17 prints, whatever the output format: per-CPU copies
// folded, unset keyless slots dropped, sorted as bpftrace sorts them, cut to `top`. The text
// (map_printer) and JSON (json_map_printer) renderers only lay these rows out. Pure: no kernel
// access and no I/O.
#pragma once

#include "codegen/compiled_program.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

// One BPF map entry: the BPF key bytes and the value bytes of every CPU (one element for maps
// that are not per-CPU).
struct MapEntry {
  std::vector<uint8_t> key;
  std::vector<std::vector<uint8_t>> values;
};

// count, sum, min, max, integers and other plain values (strings, tuples, ...). `number` is the
// value divided by `div` as text, for the numeric kinds; other values are rendered by the
// printer from entry->values[0].
struct ValueRow {
  const MapEntry* entry;
  std::optional<std::string> number;
};

// avg and stats.
struct AverageRow {
  const MapEntry* entry;
  uint64_t count = 0;
  int64_t total = 0;
  int64_t average() const { return count ? total / static_cast<int64_t>(count) : 0; }
};

// hist and lhist: the buckets of one user key (the BPF key without its bucket number).
struct HistRow {
  std::vector<uint8_t> key;
  std::vector<uint64_t> counts;
  uint64_t total = 0;
};

// Sorting and selection follow bpftrace 0.17 (output.cpp / bpftrace.cpp print_map*):
// - count/sum/integer/min/max: by value ascending;
// - other values (strings, tuples): by key (integers as unsigned, strings bytewise);
// - avg/stats: by average;
// - hist/lhist: by their total count.
// Ties keep key order, which makes the output deterministic where bpftrace's follows the
// kernel's hash order.
//
// A keyless sum/min/max/avg/stats map is a one-slot array here but a hash in bpftrace, so an
// unset slot (a sum at 0) gives no row — unless zero() was applied since the last clear()
// (`zeroed`), after which bpftrace's hash holds a zero entry.
std::vector<ValueRow> value_rows(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                                 uint64_t top, uint64_t div, bool zeroed);
// bpftrace ignores top (and div) for stats; callers pass what they honour.
// Folds of one entry's per-CPU copies (ast/types.h AggregationStorage): the sum of count/sum
// slots, the min or max of the CPUs that set one (none: nullopt), avg's count and total. The
// printers and the Prometheus exposition read aggregations through these.
uint64_t fold_sum(const MapEntry& e);
std::optional<int64_t> fold_min_max(const MapEntry& e, bool is_max);
AverageRow fold_avg(const MapEntry& e);

std::vector<AverageRow> average_rows(const codegen::MapDesc& map,
                                     const std::vector<MapEntry>& entries, uint64_t top,
                                     bool zeroed);

std::vector<HistRow> hist_rows(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                               uint64_t top);

// The renderers of one output format, one per shape of map; render_map() picks the one for the
// map's value kind (hist/lhist, avg/stats, any other value) and reads a `div` of 0 as 1.
struct MapRenderers {
  using Render = std::string (*)(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                                 const std::vector<std::string>& probe_names, uint64_t top,
                                 uint64_t div, bool zeroed);
  Render hist, average, value;
};
std::string render_map(const MapRenderers& renderers, const codegen::MapDesc& map,
                       const std::vector<MapEntry>& entries,
                       const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                       bool zeroed);

} // namespace tracelet::runtime
