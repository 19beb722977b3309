// --metrics: the maps in Prometheus' text exposition format 0.0.4, from the raw entries read
// out of the kernel (map_reader.h). Pure: no kernel access, so unit tests check exact bytes.
//
// Mapping (one metric family per map, sorted by map name, samples sorted by key bytes):
// - `@name` -> `tracelet_name`; the keyless-name map `@` -> `tracelet_map`. Characters outside
//   [a-zA-Z0-9_] become '_'. A name already taken gets `_2`, `_3`, ...
// - count() -> counter `_total`; sum() of unsigned values -> counter `_total`, of signed values
//   -> gauge; min(), max(), avg() and integer values -> gauges (an unset min/max/avg slot has
//   no sample); stats() -> summary (`_count`, `_sum`); hist()/lhist() -> histogram with
//   cumulative integer `le` buckets (every bucket, so the series stay stable), `_sum` (when
//   codegen kept the sums, CompiledProgram::hist_sums) and `_count`.
// - Other values (strings, tuples, stacks, ...) -> gauge 1 with the value as label "value".
// - Keys -> labels named after the key expressions (MapDesc::key_names); key0, key1, ... where
//   a name is missing, invalid, reserved (`__`, `le` of histograms, `quantile` of summaries,
//   `value` of text values) or repeated.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/output/map_printer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

// "@opens" -> "tracelet_opens" (no suffix).
std::string metric_base_name(const std::string& map_name);

// The label names of a map's key elements, in key order (empty for a keyless map).
std::vector<std::string> metric_label_names(const codegen::MapDesc& map);

// A label value as the format requires: backslash, double quote and newline escaped.
std::string escape_label_value(const std::string& value);

// One map's family: `# HELP`, `# TYPE` and its samples. `base` is its (unique) family base name;
// `hist_sums`: hist()/lhist() entries at codegen::kHistSumBucket hold the sums.
std::string prometheus_map(const codegen::MapDesc& map, const std::string& base,
                           const std::vector<MapEntry>& entries,
                           const std::vector<std::string>& probe_names, bool hist_sums);

// tracelet's own state, read at scrape time.
struct ProbeStats {
  std::string probe; // ProgramDesc::probe_name
  uint64_t run_count = 0;
  uint64_t run_time_ns = 0;
};
struct HealthSample {
  uint64_t lost_events = 0;
  uint64_t probes_attached = 0;
  // kernel.bpf_stats_enabled: nullopt when it cannot be read.
  std::optional<bool> bpf_stats_enabled;
  std::vector<ProbeStats> probes; // empty when the kernel does not count runs
};

// Families `tracelet_runtime_*`: lost events, probes attached, bpf_stats_enabled and each
// probe's run count and run time (when `probes` is not empty).
std::string prometheus_health(const HealthSample& health);

// The whole exposition: every map (in name order; unique family names) then the health metrics.
// maps[i] pairs with entries[i].
std::string prometheus_exposition(const std::vector<codegen::MapDesc>& maps,
                                  const std::vector<std::vector<MapEntry>>& entries,
                                  const std::vector<std::string>& probe_names, bool hist_sums,
                                  const HealthSample& health);

} // namespace tracelet::runtime
