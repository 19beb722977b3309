// Text exposition format 0.0.4: https://prometheus.io/docs/instrumenting/exposition_formats/
#include "runtime/output/prometheus.h"

#include "runtime/output/map_rows.h"
#include "runtime/output/value_format.h"

#include <linux/bpf.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace tracelet::runtime {

namespace {

using ast::Type;
using ast::TypeKind;

bool is_label_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_label_char(char c) {
  return is_label_start(c) || (c >= '0' && c <= '9');
}

// The label name a key expression's name gives, or "" if it gives none.
std::string sanitized_label(const std::string& name) {
  if (name.empty() || !is_label_start(name[0]) || name.rfind("__", 0) == 0) return "";
  for (char c : name)
    if (!is_label_char(c)) return "";
  return name;
}

// Values the runtime symbolizes through state of the main thread (symbols/, user_values.h)
// are shown raw in labels: the scrape runs on another thread.
std::string label_text(const Type& t, const uint8_t* data,
                       const std::vector<std::string>& probe_names) {
  switch (t.kind) {
  case TypeKind::Tuple: {
    std::string out = "(";
    auto offsets = t.offsets();
    for (size_t i = 0; i < t.elems.size(); ++i)
      out += (i ? ", " : "") + label_text(t.elems[i], data + offsets[i], probe_names);
    return out + ")";
  }
  case TypeKind::KSym:
  case TypeKind::USym: {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx",
                  static_cast<unsigned long long>(read_unsigned(data, 8)));
    return buf;
  }
  case TypeKind::KStack:
  case TypeKind::UStack:
  case TypeKind::Username:
    return std::to_string(read_unsigned(data, 8));
  case TypeKind::Timestamp:
    return std::to_string(read_unsigned(data + 8, 8));
  default:
    return format_value(t, data, probe_names);
  }
}

// The label name no key may take in a family of this value kind.
std::string reserved_label(const codegen::MapDesc& map) {
  switch (map.value.kind) {
  case TypeKind::Hist:
  case TypeKind::Lhist:
    return "le";
  case TypeKind::Stats:
    return "quantile";
  case TypeKind::Count:
  case TypeKind::Sum:
  case TypeKind::Min:
  case TypeKind::Max:
  case TypeKind::Avg:
  case TypeKind::Integer:
    return "";
  default:
    return "value"; // text values: the value is this label
  }
}

bool per_element_labels(const codegen::MapDesc& map) {
  return map.key.kind == TypeKind::Tuple && map.key_names.size() != 1;
}

// `{a="x",b="y"}` from the key bytes (the user part), with `extra` (e.g. le="1") last.
std::string labels(const codegen::MapDesc& map, const std::vector<std::string>& names,
                   const std::vector<uint8_t>& key, const std::vector<std::string>& probe_names,
                   const std::string& extra = "") {
  std::vector<std::string> parts;
  if (!names.empty() && key.size() >= map.key.size()) {
    if (per_element_labels(map)) {
      auto offsets = map.key.offsets();
      for (size_t i = 0; i < map.key.elems.size(); ++i)
        parts.push_back(
            names[i] + "=\"" +
            escape_label_value(label_text(map.key.elems[i], key.data() + offsets[i], probe_names)) +
            "\"");
    } else {
      parts.push_back(names[0] + "=\"" +
                      escape_label_value(label_text(map.key, key.data(), probe_names)) + "\"");
    }
  }
  if (!extra.empty()) parts.push_back(extra);
  if (parts.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? "," : "") + parts[i];
  return out + "}";
}

// HELP text escapes backslash and newline; label values also the double quote (text format 0.0.4).
std::string escaped(const std::string& text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quote && c == '"')
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string header(const std::string& family, const std::string& type, const std::string& help) {
  return "# HELP " + family + " " + escaped(help, false) + "\n# TYPE " + family + " " + type + "\n";
}

// "tracelet map @opens[comm, pid]: count()".
std::string help_text(const codegen::MapDesc& map) {
  std::string text = "tracelet map " + map.name;
  if (!map.key.is_none()) {
    text += "[";
    auto names = metric_label_names(map);
    for (size_t i = 0; i < names.size(); ++i)
      text += (i ? ", " : "") + names[i];
    text += "]";
  }
  return text + ": " + map.value.str();
}

std::vector<const MapEntry*> sorted(const std::vector<MapEntry>& entries) {
  std::vector<const MapEntry*> rows;
  for (const auto& e : entries)
    if (!e.values.empty()) rows.push_back(&e);
  std::sort(rows.begin(), rows.end(),
            [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
  return rows;
}

bool is_array(const codegen::MapDesc& map) {
  return map.bpf_type == BPF_MAP_TYPE_ARRAY || map.bpf_type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

// count, sum, min, max, avg, integers: one sample per entry.
std::string scalar_family(const codegen::MapDesc& map, const std::string& base,
                          const std::vector<MapEntry>& entries,
                          const std::vector<std::string>& probe_names) {
  const auto kind = map.value.kind;
  bool counter = kind == TypeKind::Count || (kind == TypeKind::Sum && !map.value.is_signed);
  std::string family = counter ? base + "_total" : base;
  std::string out = header(family, counter ? "counter" : "gauge", help_text(map));
  auto names = metric_label_names(map);
  for (const MapEntry* e : sorted(entries)) {
    std::string value;
    switch (kind) {
    case TypeKind::Count:
      value = std::to_string(fold_sum(*e));
      break;
    case TypeKind::Sum:
      value = map.value.is_signed ? std::to_string(static_cast<int64_t>(fold_sum(*e)))
                                  : std::to_string(fold_sum(*e));
      break;
    case TypeKind::Min:
    case TypeKind::Max: {
      auto v = fold_min_max(*e, kind == TypeKind::Max);
      if (!v) continue; // never set (or zeroed): no value to show
      value = std::to_string(*v);
      break;
    }
    case TypeKind::Avg: {
      AverageRow f = fold_avg(*e);
      if (f.count == 0) continue;
      value = std::to_string(f.total / static_cast<int64_t>(f.count));
      break;
    }
    default: { // Integer
      const auto& bytes = e->values[0];
      if (bytes.size() < map.value.bytes) continue;
      value = map.value.is_signed ? std::to_string(read_signed(bytes.data(), map.value.bytes))
                                  : std::to_string(read_unsigned(bytes.data(), map.value.bytes));
      break;
    }
    }
    out += family + labels(map, names, e->key, probe_names) + " " + value + "\n";
  }
  return out;
}

// stats(): a summary without quantiles.
std::string stats_family(const codegen::MapDesc& map, const std::string& base,
                         const std::vector<MapEntry>& entries,
                         const std::vector<std::string>& probe_names) {
  std::string out = header(base, "summary", help_text(map));
  auto names = metric_label_names(map);
  for (const MapEntry* e : sorted(entries)) {
    AverageRow f = fold_avg(*e);
    if (f.count == 0 && is_array(map)) continue; // the keyless slot, never written
    std::string l = labels(map, names, e->key, probe_names);
    out += base + "_sum" + l + " " + std::to_string(f.total) + "\n";
    out += base + "_count" + l + " " + std::to_string(f.count) + "\n";
  }
  return out;
}

// The inclusive upper bound of each finite bucket (integer values), in bucket order; the last
// bucket (unbounded above) is +Inf.
std::vector<std::string> bucket_bounds(const Type& value) {
  std::vector<std::string> bounds;
  if (value.kind == TypeKind::Hist) {
    // 0: v < 0; 1: v == 0; 2 + k: 2^k <= v < 2^(k+1) (k = 0..62; int64 values stop there).
    bounds.push_back("-1");
    bounds.push_back("0");
    for (int k = 0; k <= 62; ++k)
      bounds.push_back(std::to_string((uint64_t{2} << k) - 1));
  } else {
    // 0: v < min; i in 1..n: min + (i-1)*step <= v < min + i*step; n + 1: v >= max.
    int64_t step = std::max<int64_t>(value.lhist_step, 1);
    int64_t n = (value.lhist_max - value.lhist_min) / step;
    for (int64_t i = 0; i <= n; ++i)
      bounds.push_back(std::to_string(value.lhist_min + i * step - 1));
  }
  return bounds;
}

std::string hist_family(const codegen::MapDesc& map, const std::string& base,
                        const std::vector<MapEntry>& entries,
                        const std::vector<std::string>& probe_names, bool hist_sums) {
  std::string out = header(base, "histogram", help_text(map));
  auto names = metric_label_names(map);
  auto bounds = bucket_bounds(map.value);
  size_t bucket_count = bounds.size() + 1;
  struct Series {
    std::vector<uint64_t> counts;
    int64_t sum = 0;
  };
  // By user key (the BPF key without its trailing u64 bucket), in key byte order.
  std::map<std::vector<uint8_t>, Series> by_key;
  for (const auto& e : entries) {
    if (e.key.size() < 8 || e.values.empty()) continue;
    std::vector<uint8_t> user_key(e.key.begin(), e.key.end() - 8);
    uint64_t bucket = read_unsigned(e.key.data() + e.key.size() - 8, 8);
    auto& series = by_key[user_key];
    series.counts.resize(bucket_count);
    if (bucket < bucket_count)
      series.counts[bucket] += fold_sum(e);
    else if (bucket == codegen::kHistSumBucket)
      series.sum += static_cast<int64_t>(fold_sum(e));
  }
  for (const auto& [key, series] : by_key) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bucket_count; ++i) {
      cumulative += series.counts[i];
      std::string le = i < bounds.size() ? bounds[i] : "+Inf";
      out += base + "_bucket" + labels(map, names, key, probe_names, "le=\"" + le + "\"") + " " +
             std::to_string(cumulative) + "\n";
    }
    std::string l = labels(map, names, key, probe_names);
    if (hist_sums) out += base + "_sum" + l + " " + std::to_string(series.sum) + "\n";
    out += base + "_count" + l + " " + std::to_string(cumulative) + "\n";
  }
  return out;
}

// Strings, tuples, stacks, ...: the info pattern, value 1 with the value as a label.
std::string text_family(const codegen::MapDesc& map, const std::string& base,
                        const std::vector<MapEntry>& entries,
                        const std::vector<std::string>& probe_names) {
  std::string out = header(base, "gauge", help_text(map));
  auto names = metric_label_names(map);
  for (const MapEntry* e : sorted(entries)) {
    const auto& bytes = e->values[0];
    if (bytes.size() < map.value.size()) continue;
    std::string value =
        "value=\"" + escape_label_value(label_text(map.value, bytes.data(), probe_names)) + "\"";
    out += base + labels(map, names, e->key, probe_names, value) + " 1\n";
  }
  return out;
}

std::string family_name(const codegen::MapDesc& map, const std::string& base) {
  auto kind = map.value.kind;
  if (kind == TypeKind::Count || (kind == TypeKind::Sum && !map.value.is_signed))
    return base + "_total";
  return base;
}

// The sample names a family uses (to keep families of different maps apart).
std::vector<std::string> sample_names(const codegen::MapDesc& map, const std::string& base) {
  switch (map.value.kind) {
  case TypeKind::Hist:
  case TypeKind::Lhist:
    return {base, base + "_bucket", base + "_sum", base + "_count"};
  case TypeKind::Stats:
    return {base, base + "_sum", base + "_count"};
  default:
    return {family_name(map, base)};
  }
}

} // namespace

std::string metric_base_name(const std::string& map_name) {
  std::string name = map_name.rfind('@', 0) == 0 ? map_name.substr(1) : map_name;
  if (name.empty()) name = "map";
  for (char& c : name)
    if (!is_label_char(c)) c = '_';
  return "tracelet_" + name;
}

std::vector<std::string> metric_label_names(const codegen::MapDesc& map) {
  if (map.key.is_none()) return {};
  size_t n = per_element_labels(map) ? map.key.elems.size() : 1;
  std::string reserved = reserved_label(map);
  std::vector<std::string> names;
  std::set<std::string> taken;
  for (size_t i = 0; i < n; ++i) {
    std::string name = i < map.key_names.size() ? sanitized_label(map.key_names[i]) : "";
    if (name.empty() || name == reserved || taken.count(name)) name = "key" + std::to_string(i);
    names.push_back(name);
    taken.insert(name);
  }
  // A fallback keyN may equal a name given to another key (`@[key1, pid]`): number it again.
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) names[i] = "key" + std::to_string(i) + "_";
  return names;
}

std::string escape_label_value(const std::string& value) {
  return escaped(value, true);
}

std::string prometheus_map(const codegen::MapDesc& map, const std::string& base,
                           const std::vector<MapEntry>& entries,
                           const std::vector<std::string>& probe_names, bool hist_sums) {
  switch (map.value.kind) {
  case TypeKind::Count:
  case TypeKind::Sum:
  case TypeKind::Min:
  case TypeKind::Max:
  case TypeKind::Avg:
  case TypeKind::Integer:
    return scalar_family(map, base, entries, probe_names);
  case TypeKind::Stats:
    return stats_family(map, base, entries, probe_names);
  case TypeKind::Hist:
  case TypeKind::Lhist:
    return hist_family(map, base, entries, probe_names, hist_sums);
  default:
    return text_family(map, base, entries, probe_names);
  }
}

std::string prometheus_health(const HealthSample& health) {
  std::string out;
  out += header("tracelet_runtime_lost_events_total", "counter",
                "Events the perf buffer dropped because user space fell behind");
  out += "tracelet_runtime_lost_events_total " + std::to_string(health.lost_events) + "\n";
  out += header("tracelet_runtime_probes_attached", "gauge", "Probes attached");
  out += "tracelet_runtime_probes_attached " + std::to_string(health.probes_attached) + "\n";
  if (health.bpf_stats_enabled) {
    out += header("tracelet_runtime_bpf_stats_enabled", "gauge",
                  "kernel.bpf_stats_enabled: 1 if the kernel counts probe runs and run time");
    out += "tracelet_runtime_bpf_stats_enabled " +
           std::string(*health.bpf_stats_enabled ? "1" : "0") + "\n";
  }
  if (health.probes.empty()) return out;
  out += header("tracelet_runtime_probe_runs_total", "counter",
                "Times each probe's BPF program ran (kernel.bpf_stats_enabled)");
  for (const auto& p : health.probes)
    out += "tracelet_runtime_probe_runs_total{probe=\"" + escape_label_value(p.probe) + "\"} " +
           std::to_string(p.run_count) + "\n";
  out += header("tracelet_runtime_probe_run_time_ns_total", "counter",
                "Nanoseconds spent in each probe's BPF program (kernel.bpf_stats_enabled)");
  for (const auto& p : health.probes)
    out += "tracelet_runtime_probe_run_time_ns_total{probe=\"" + escape_label_value(p.probe) +
           "\"} " + std::to_string(p.run_time_ns) + "\n";
  return out;
}

std::string prometheus_exposition(const std::vector<codegen::MapDesc>& maps,
                                  const std::vector<std::vector<MapEntry>>& entries,
                                  const std::vector<std::string>& probe_names, bool hist_sums,
                                  const HealthSample& health) {
  std::vector<size_t> order(maps.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return maps[a].name < maps[b].name; });
  // Sample names in use. The health families' prefix is reserved: `@runtime_x` is served as
  // tracelet_map_runtime_x.
  std::set<std::string> taken;
  auto free_base = [&](const codegen::MapDesc& map, const std::string& base) {
    for (const auto& name : sample_names(map, base))
      if (taken.count(name)) return false;
    return true;
  };
  std::string out;
  for (size_t i : order) {
    std::string first = metric_base_name(maps[i].name);
    if (first.rfind("tracelet_runtime_", 0) == 0) first = "tracelet_map_" + first.substr(9);
    std::string base = first;
    for (int n = 2; !free_base(maps[i], base); ++n)
      base = first + "_" + std::to_string(n);
    for (const auto& name : sample_names(maps[i], base))
      taken.insert(name);
    out += prometheus_map(maps[i], base, i < entries.size() ? entries[i] : std::vector<MapEntry>{},
                          probe_names, hist_sums);
  }
  return out + prometheus_health(health);
}

} // namespace tracelet::runtime
