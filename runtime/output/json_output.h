// bpftrace 0.17's `-f json` lines: {"type": "<kind>", "data": ...}. JsonOutput prints them; the
// functions below are pure formatting, no I/O, so unit tests can check the exact bytes. Maps:
// json_map_printer.h.
#pragma once

#include "ast/types.h"
#include "runtime/output/output.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

class JsonOutput final : public Output {
public:
  using Output::Output;

  void attaching(size_t probes) override;
  void printf_text(const std::string& text) override;
  void value(const ast::Type& type, const uint8_t* data,
             const std::vector<std::string>& probe_names) override;
  void map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
           const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
           bool zeroed) override;
  void time(const std::string& text) override;
  void join(const std::string& joined) override;
  void cat(const std::string& contents) override;
  void system(const std::string& command_output) override;
  void helper_error(const codegen::HelperErrorDesc& desc, int64_t retcode,
                    const Diagnostics* sources) override;
  void lost_events(uint64_t count) override;
};

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
