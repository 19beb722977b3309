// bpftrace 0.17's `-f json` lines: {"type": "<kind>", "data": ...}. Pure formatting, no I/O, so
// unit tests can check the exact bytes.
#pragma once

#include "ast/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// bpftrace's json_escape: ", \, \n, \r, \t escaped; other control bytes as \u00XX.
std::string json_escape(const std::string& text);

// {"type": "<type>", "data": "<escaped text>"}\n — printf, time, cat, join, syscall.
std::string json_text_line(const char* type, const std::string& text);

// {"type": "<type>", "data": {"<field>": N}}\n — attached_probes, lost_events.
std::string json_counter_line(const char* type, const char* field, uint64_t value);

// A value as JSON: integers bare, strings and probe names quoted, tuples as [a,b].
std::string json_value(const ast::Type& type, const uint8_t* data,
                       const std::vector<std::string>& probe_names);

// A map key as a JSON object key: its elements as text joined by "," and quoted ("1,a").
std::string json_key(const ast::Type& key, const uint8_t* data,
                     const std::vector<std::string>& probe_names);

// hist()/lhist() buckets as arrays of {"min": a, "max": b, "count": n} from the first to the
// last non-empty bucket ("[]" when all are empty). Bucket numbering: ast::hist_bucket /
// ast::lhist_bucket.
std::string hist_json(const std::vector<uint64_t>& counts, uint64_t div);
std::string lhist_json(const std::vector<uint64_t>& counts, int64_t min, int64_t max, int64_t step);

// One map line: {"type": "<type>", "data": {"<name>": <body>}}\n where body is the single
// value of a keyless map or {"k": v, ...} of a keyed one. `entries` are "v" (keyless) or
// "\"k\": v" strings in print order; none at all prints nothing, as bpftrace.
std::string json_map_line(const char* type, const std::string& map_name, bool keyed,
                          const std::vector<std::string>& entries);

} // namespace tracelet::runtime
