// bpftrace 0.17's JsonOutput bytes, checked exactly.
#include "runtime/output/json_output.h"

#include <gtest/gtest.h>

using namespace tracelet::runtime;

TEST(JsonOutput, EscapesLikeBpftrace) {
  EXPECT_EQ(json_escape("a\"b\\c\n\r\t"), "a\\\"b\\\\c\\n\\r\\t");
  EXPECT_EQ(json_escape(std::string("\x01\x1f", 2)), "\\u0001\\u001f");
  EXPECT_EQ(json_escape("é/"), "é/"); // bytes >= 0x20 pass through
}

TEST(JsonOutput, MessageLines) {
  EXPECT_EQ(json_text_line("printf", "hi\n"), "{\"type\": \"printf\", \"data\": \"hi\\n\"}\n");
  EXPECT_EQ(json_counter_line("lost_events", "events", 12),
            "{\"type\": \"lost_events\", \"data\": {\"events\": 12}}\n");
  EXPECT_EQ(json_counter_line("attached_probes", "probes", 3),
            "{\"type\": \"attached_probes\", \"data\": {\"probes\": 3}}\n");
}

TEST(JsonOutput, HistBucketsFromFirstToLastNonEmpty) {
  std::vector<uint64_t> counts(66, 0);
  counts[0] = 2; // negative
  counts[4] = 6; // [4, 7]
  EXPECT_EQ(hist_json(counts, 2),
            "[{\"max\": -1, \"count\": 1}, {\"min\": 0, \"max\": 0, \"count\": 0}, "
            "{\"min\": 1, \"max\": 1, \"count\": 0}, {\"min\": 2, \"max\": 3, \"count\": 0}, "
            "{\"min\": 4, \"max\": 7, \"count\": 3}]");
  EXPECT_EQ(hist_json(std::vector<uint64_t>(66, 0), 1), "[]");
}

TEST(JsonOutput, LhistOuterBuckets) {
  // lhist(v, 0, 10, 5): buckets below, [0,4], [5,9], at or above 10.
  EXPECT_EQ(lhist_json({0, 1, 0, 4}, 0, 10, 5),
            "[{\"min\": 0, \"max\": 4, \"count\": 1}, {\"min\": 5, \"max\": 9, \"count\": 0}, "
            "{\"min\": 10, \"count\": 4}]");
}

TEST(JsonOutput, MapLines) {
  EXPECT_EQ(json_map_line("map", "@x", false, {"5"}),
            "{\"type\": \"map\", \"data\": {\"@x\": 5}}\n");
  EXPECT_EQ(json_map_line("map", "@x", true, {"\"a\": 1", "\"b\": 2"}),
            "{\"type\": \"map\", \"data\": {\"@x\": {\"a\": 1, \"b\": 2}}}\n");
  EXPECT_EQ(json_map_line("map", "@x", true, {}), "");
}

TEST(JsonOutput, SymbolValuesAreQuoted) {
  // bpftrace 0.17: print(ksym(0)) is {"data": "0"}, a kstack value "\n        frame\n".
  uint8_t addr[16] = {0x36, 0x11, 0x40}; // 0x401136 (no symbol context: printed in hex)
  EXPECT_EQ(json_value(tracelet::ast::Type::ksym(), addr, {}), "\"0x401136\"");
  EXPECT_EQ(json_value(tracelet::ast::Type::usym(), addr, {}), "\"0x401136\"");
  EXPECT_EQ(json_value(tracelet::ast::Type::stack(false), addr, {}), "\"\\n\"");
  auto t = tracelet::ast::Type::tuple({tracelet::ast::Type::ksym(), tracelet::ast::Type::i64()});
  uint8_t pair[16] = {0x36, 0x11, 0x40, 0, 0, 0, 0, 0, 2};
  EXPECT_EQ(json_value(t, pair, {}), "[\"0x401136\",2]");
}
