// --metrics exposition (runtime/output/prometheus.h): names, labels, escaping and the exact
// text of each family kind, checked against the text format 0.0.4 rules.
#include "runtime/metrics/metrics_address.h"
#include "runtime/output/prometheus.h"

#include "ast/diagnostics.h"
#include "test_values.h"

#include <gtest/gtest.h>

namespace tracelet::test {
namespace {

using runtime::escape_label_value;
using runtime::HealthSample;
using runtime::MapEntry;
using runtime::metric_base_name;
using runtime::metric_label_names;
using runtime::prometheus_exposition;
using runtime::prometheus_health;
using runtime::prometheus_map;

codegen::MapDesc with_names(codegen::MapDesc m, std::vector<std::string> names) {
  m.key_names = std::move(names);
  return m;
}

std::vector<uint8_t> hist_key(std::vector<uint8_t> user_key, uint64_t bucket) {
  user_key.resize((user_key.size() + 7) / 8 * 8, 0);
  return concat(user_key, u64_bytes(bucket));
}

TEST(PrometheusNames, MapNameGetsPrefix) {
  EXPECT_EQ(metric_base_name("@opens"), "tracelet_opens");
  EXPECT_EQ(metric_base_name("@"), "tracelet_map");
  EXPECT_EQ(metric_base_name("@Bytes_2"), "tracelet_Bytes_2");
  EXPECT_EQ(metric_base_name("@a.b-c"), "tracelet_a_b_c"); // outside the grammar: '_'
}

TEST(PrometheusNames, LabelsAreNamedAfterKeyExpressions) {
  auto two = Type::tuple({Type::string(16), Type::u64()});
  EXPECT_EQ(metric_label_names(with_names(map_desc("@m", two, Type::aggregation(TypeKind::Count)),
                                          {"comm", "pid"})),
            (std::vector<std::string>{"comm", "pid"}));
  // Keyless: no labels.
  EXPECT_TRUE(
      metric_label_names(map_desc("@m", Type::none(), Type::aggregation(TypeKind::Count))).empty());
  // No name known (literal keys), names outside the grammar, reserved "__" names and repeated
  // names fall back to keyN.
  auto three = Type::tuple({Type::u64(), Type::u64(), Type::u64()});
  EXPECT_EQ(metric_label_names(with_names(map_desc("@m", three, Type::aggregation(TypeKind::Count)),
                                          {"", "pid", "pid"})),
            (std::vector<std::string>{"key0", "pid", "key2"}));
  EXPECT_EQ(metric_label_names(with_names(map_desc("@m", three, Type::aggregation(TypeKind::Count)),
                                          {"__name__", "9lives", "ok"})),
            (std::vector<std::string>{"key0", "key1", "ok"}));
  // A map that never saw its keys (only print(@m)): key0, key1, ...
  EXPECT_EQ(metric_label_names(map_desc("@m", three, Type::aggregation(TypeKind::Count))),
            (std::vector<std::string>{"key0", "key1", "key2"}));
  // A name equal to a fallback taken earlier is numbered again.
  EXPECT_EQ(metric_label_names(with_names(map_desc("@m", three, Type::aggregation(TypeKind::Count)),
                                          {"", "key0", "x"})),
            (std::vector<std::string>{"key0", "key1", "x"}));
}

TEST(PrometheusNames, LabelsReservedByTheFamilyKind) {
  // `le` belongs to histogram buckets, `quantile` to summaries, `value` to text values.
  EXPECT_EQ(metric_label_names(
                with_names(map_desc("@h", Type::u64(), Type::aggregation(TypeKind::Hist)), {"le"})),
            (std::vector<std::string>{"key0"}));
  EXPECT_EQ(metric_label_names(with_names(
                map_desc("@s", Type::u64(), Type::aggregation(TypeKind::Stats)), {"quantile"})),
            (std::vector<std::string>{"key0"}));
  EXPECT_EQ(metric_label_names(with_names(map_desc("@v", Type::u64(), Type::string(8)), {"value"})),
            (std::vector<std::string>{"key0"}));
  EXPECT_EQ(metric_label_names(with_names(
                map_desc("@c", Type::u64(), Type::aggregation(TypeKind::Count)), {"le"})),
            (std::vector<std::string>{"le"}));
}

TEST(PrometheusNames, OneTupleKeyIsOneLabel) {
  // @[(1, 2)]: one key expression whose value is a tuple.
  auto m = with_names(map_desc("@m", Type::tuple({Type::u64(), Type::u64()}), Type::i64()), {""});
  EXPECT_EQ(metric_label_names(m), (std::vector<std::string>{"key0"}));
  Bytes key({Type::u64(), Type::u64()});
  key.i(0, 1).i(1, 2);
  EXPECT_EQ(prometheus_map(m, "tracelet_m", {entry(key.data(), {u64_bytes(5)})}, {}, false),
            "# HELP tracelet_m tracelet map @m[key0]: int64\n"
            "# TYPE tracelet_m gauge\n"
            "tracelet_m{key0=\"(1, 2)\"} 5\n");
}

TEST(PrometheusEscaping, LabelValues) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\"b"), "a\\\"b");
  EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_label_value("a\nb"), "a\\nb");
  EXPECT_EQ(escape_label_value("tab\tstays"), "tab\tstays");
}

TEST(PrometheusFamilies, CountIsACounterWithTotal) {
  auto m = with_names(map_desc("@opens", Type::tuple({Type::string(16), Type::u64()}),
                               Type::aggregation(TypeKind::Count)),
                      {"comm", "pid"});
  Bytes a({Type::string(16), Type::u64()}), b({Type::string(16), Type::u64()});
  a.s(0, "bash").i(1, 42);
  b.s(0, "say \"hi\"\\").i(1, 7);
  // Per-CPU copies are added up.
  std::vector<MapEntry> entries = {entry(a.data(), {u64_bytes(2), u64_bytes(3)}),
                                   entry(b.data(), {u64_bytes(1), u64_bytes(0)})};
  EXPECT_EQ(prometheus_map(m, "tracelet_opens", entries, {}, false),
            "# HELP tracelet_opens_total tracelet map @opens[comm, pid]: count\n"
            "# TYPE tracelet_opens_total counter\n"
            "tracelet_opens_total{comm=\"bash\",pid=\"42\"} 5\n"
            "tracelet_opens_total{comm=\"say \\\"hi\\\"\\\\\",pid=\"7\"} 1\n");
}

TEST(PrometheusFamilies, SumOfUnsignedIsACounterOfSignedAGauge) {
  Type unsigned_sum = Type::aggregation(TypeKind::Sum);
  unsigned_sum.is_signed = false;
  Type signed_sum = Type::aggregation(TypeKind::Sum);
  signed_sum.is_signed = true;
  auto u = map_desc("@bytes", Type::none(), unsigned_sum);
  auto s = map_desc("@delta", Type::none(), signed_sum);
  EXPECT_EQ(
      prometheus_map(u, "tracelet_bytes", {entry(u64_bytes(0), {u64_bytes(4096)})}, {}, false),
      "# HELP tracelet_bytes_total tracelet map @bytes: sum\n"
      "# TYPE tracelet_bytes_total counter\n"
      "tracelet_bytes_total 4096\n");
  EXPECT_EQ(
      prometheus_map(s, "tracelet_delta",
                     {entry(u64_bytes(0), {u64_bytes(static_cast<uint64_t>(-10)), u64_bytes(3)})},
                     {}, false),
      "# HELP tracelet_delta tracelet map @delta: sum\n"
      "# TYPE tracelet_delta gauge\n"
      "tracelet_delta -7\n");
}

TEST(PrometheusFamilies, MinMaxAvgAndValuesAreGauges) {
  auto mn = map_desc("@low", Type::none(), Type::aggregation(TypeKind::Min));
  EXPECT_EQ(prometheus_map(mn, "tracelet_low",
                           {entry(u64_bytes(0),
                                  {minmax_bytes(9), minmax_bytes(-2), minmax_bytes(-50, false)})},
                           {}, false),
            "# HELP tracelet_low tracelet map @low: min\n"
            "# TYPE tracelet_low gauge\n"
            "tracelet_low -2\n");
  // A slot never set has no sample (but the family is announced).
  EXPECT_EQ(prometheus_map(mn, "tracelet_low", {entry(u64_bytes(0), {minmax_bytes(0, false)})}, {},
                           false),
            "# HELP tracelet_low tracelet map @low: min\n"
            "# TYPE tracelet_low gauge\n");
  auto avg = with_names(map_desc("@lat", Type::u64(), Type::aggregation(TypeKind::Avg)), {"cpu"});
  EXPECT_EQ(prometheus_map(avg, "tracelet_lat",
                           {entry(u64_bytes(1), {avg_bytes(2, 10), avg_bytes(2, 2)})}, {}, false),
            "# HELP tracelet_lat tracelet map @lat[cpu]: avg\n"
            "# TYPE tracelet_lat gauge\n"
            "tracelet_lat{cpu=\"1\"} 3\n");
  auto plain = with_names(map_desc("@last", Type::u64(), Type::i64()), {"pid"});
  EXPECT_EQ(prometheus_map(plain, "tracelet_last",
                           {entry(u64_bytes(5), {u64_bytes(static_cast<uint64_t>(-1))})}, {},
                           false),
            "# HELP tracelet_last tracelet map @last[pid]: int64\n"
            "# TYPE tracelet_last gauge\n"
            "tracelet_last{pid=\"5\"} -1\n");
}

TEST(PrometheusFamilies, StatsIsASummaryWithCountAndSum) {
  auto m =
      with_names(map_desc("@st", Type::probe(), Type::aggregation(TypeKind::Stats)), {"probe"});
  EXPECT_EQ(prometheus_map(m, "tracelet_st",
                           {entry(u64_bytes(0), {avg_bytes(3, 30), avg_bytes(1, 2)})},
                           {"tracepoint:syscalls:sys_enter_read"}, false),
            "# HELP tracelet_st tracelet map @st[probe]: stats\n"
            "# TYPE tracelet_st summary\n"
            "tracelet_st_sum{probe=\"tracepoint:syscalls:sys_enter_read\"} 32\n"
            "tracelet_st_count{probe=\"tracepoint:syscalls:sys_enter_read\"} 4\n");
}

TEST(PrometheusFamilies, LhistBucketsAreCumulativeWithInclusiveBounds) {
  // lhist(v, 0, 30, 10): buckets (<0) [0,10) [10,20) [20,30) (>=30); integer values, so
  // le is the last value inside each: -1, 9, 19, 29, +Inf.
  auto m = with_names(map_desc("@l", Type::u64(), Type::lhist(0, 30, 10)), {"pid"});
  std::vector<MapEntry> entries = {
      entry(hist_key(u64_bytes(7), 1), {u64_bytes(2), u64_bytes(1)}), // [0,10): 3
      entry(hist_key(u64_bytes(7), 3), {u64_bytes(1), u64_bytes(0)}), // [20,30): 1
      entry(hist_key(u64_bytes(7), 4), {u64_bytes(0), u64_bytes(2)}), // >= 30: 2
      entry(hist_key(u64_bytes(7), codegen::kHistSumBucket), {u64_bytes(100), u64_bytes(23)}),
  };
  EXPECT_EQ(prometheus_map(m, "tracelet_l", entries, {}, true),
            "# HELP tracelet_l tracelet map @l[pid]: lhist(0,30,10)\n"
            "# TYPE tracelet_l histogram\n"
            "tracelet_l_bucket{pid=\"7\",le=\"-1\"} 0\n"
            "tracelet_l_bucket{pid=\"7\",le=\"9\"} 3\n"
            "tracelet_l_bucket{pid=\"7\",le=\"19\"} 3\n"
            "tracelet_l_bucket{pid=\"7\",le=\"29\"} 4\n"
            "tracelet_l_bucket{pid=\"7\",le=\"+Inf\"} 6\n"
            "tracelet_l_sum{pid=\"7\"} 123\n"
            "tracelet_l_count{pid=\"7\"} 6\n");
  // Without kept sums there is no _sum line.
  std::string no_sum = prometheus_map(m, "tracelet_l", entries, {}, false);
  EXPECT_EQ(no_sum.find("_sum"), std::string::npos);
}

TEST(PrometheusFamilies, HistBucketsArePowersOfTwo) {
  // hist(): bucket 0 is v < 0, 1 is v == 0, 2 + k is [2^k, 2^(k+1)).
  auto m = map_desc("@h", Type::none(), Type::aggregation(TypeKind::Hist));
  std::vector<MapEntry> entries = {
      entry(u64_bytes(1), {u64_bytes(1)}),  // 0
      entry(u64_bytes(3), {u64_bytes(2)}),  // 2, 3
      entry(u64_bytes(12), {u64_bytes(1)}), // 1024..2047
  };
  std::string text = prometheus_map(m, "tracelet_h", entries, {}, false);
  EXPECT_NE(text.find("tracelet_h_bucket{le=\"-1\"} 0\n"
                      "tracelet_h_bucket{le=\"0\"} 1\n"
                      "tracelet_h_bucket{le=\"1\"} 1\n"
                      "tracelet_h_bucket{le=\"3\"} 3\n"
                      "tracelet_h_bucket{le=\"7\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tracelet_h_bucket{le=\"1023\"} 3\n"
                      "tracelet_h_bucket{le=\"2047\"} 4\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tracelet_h_bucket{le=\"9223372036854775807\"} 4\n"
                      "tracelet_h_bucket{le=\"+Inf\"} 4\n"
                      "tracelet_h_count 4\n"),
            std::string::npos)
      << text;
  // Every bucket of the hist, each time: 65 finite bounds and +Inf.
  size_t buckets = 0;
  for (size_t at = 0; (at = text.find("tracelet_h_bucket", at)) != std::string::npos; ++at)
    ++buckets;
  EXPECT_EQ(buckets, 66u);
}

TEST(PrometheusFamilies, TextValuesAreInfoGauges) {
  auto m = with_names(map_desc("@name", Type::u64(), Type::string(16)), {"pid"});
  EXPECT_EQ(prometheus_map(m, "tracelet_name", {entry(u64_bytes(3), {string_bytes("a\nb", 16)})},
                           {}, false),
            "# HELP tracelet_name tracelet map @name[pid]: string[16]\n"
            "# TYPE tracelet_name gauge\n"
            "tracelet_name{pid=\"3\",value=\"a\\nb\"} 1\n");
}

TEST(PrometheusExposition, FamiliesInNameOrderWithUniqueNames) {
  // @x_total (a gauge) and @x (a counter, x_total) would share a name; @runtime_lost_events_total
  // would take a health family's name.
  auto gauge = map_desc("@x_total", Type::none(), Type::i64());
  auto counter = map_desc("@x", Type::none(), Type::aggregation(TypeKind::Count));
  auto health_like = map_desc("@runtime_probes_attached", Type::none(), Type::i64());
  std::string text = prometheus_exposition({gauge, counter, health_like},
                                           {{entry(u64_bytes(0), {u64_bytes(1)})},
                                            {entry(u64_bytes(0), {u64_bytes(2)})},
                                            {entry(u64_bytes(0), {u64_bytes(3)})}},
                                           {}, false, HealthSample{});
  EXPECT_NE(text.find("tracelet_map_runtime_probes_attached 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tracelet_x_total 2\n"), std::string::npos) << text;   // @x comes first
  EXPECT_NE(text.find("tracelet_x_total_2 1\n"), std::string::npos) << text; // then @x_total
  EXPECT_LT(text.find("tracelet_map_runtime"), text.find("tracelet_x_total"));
}

TEST(PrometheusHealth, LostEventsProbesAndStats) {
  HealthSample h;
  h.lost_events = 12;
  h.probes_attached = 3;
  EXPECT_EQ(prometheus_health(h),
            "# HELP tracelet_runtime_lost_events_total Events the perf buffer dropped because "
            "user space fell behind\n"
            "# TYPE tracelet_runtime_lost_events_total counter\n"
            "tracelet_runtime_lost_events_total 12\n"
            "# HELP tracelet_runtime_probes_attached Probes attached\n"
            "# TYPE tracelet_runtime_probes_attached gauge\n"
            "tracelet_runtime_probes_attached 3\n");
  h.bpf_stats_enabled = false;
  std::string off = prometheus_health(h);
  EXPECT_NE(off.find("tracelet_runtime_bpf_stats_enabled 0\n"), std::string::npos);
  EXPECT_EQ(off.find("probe_runs"), std::string::npos); // the kernel does not count them
  h.bpf_stats_enabled = true;
  h.probes = {{"tracepoint:syscalls:sys_enter_read", 5, 500}};
  std::string on = prometheus_health(h);
  EXPECT_NE(on.find("tracelet_runtime_bpf_stats_enabled 1\n"), std::string::npos);
  EXPECT_NE(
      on.find("# TYPE tracelet_runtime_probe_runs_total counter\n"
              "tracelet_runtime_probe_runs_total{probe=\"tracepoint:syscalls:sys_enter_read\"} "
              "5\n"),
      std::string::npos)
      << on;
  EXPECT_NE(on.find("tracelet_runtime_probe_run_time_ns_total{probe=\"tracepoint:syscalls:"
                    "sys_enter_read\"} 500\n"),
            std::string::npos)
      << on;
}

TEST(MetricsAddress, Forms) {
  auto a = runtime::parse_metrics_address("9100");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9100);
  a = runtime::parse_metrics_address("0.0.0.0:9200");
  EXPECT_EQ(a.host, "0.0.0.0");
  EXPECT_EQ(a.port, 9200);
  a = runtime::parse_metrics_address("[::1]:9300");
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.text(), "[::1]:9300");
  a = runtime::parse_metrics_address("localhost:1");
  EXPECT_EQ(a.text(), "localhost:1");
}

TEST(MetricsAddress, Errors) {
  auto message = [](const std::string& text) {
    try {
      runtime::parse_metrics_address(text);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("http"), "--metrics takes [HOST:]PORT, not 'http': the port is not a number");
  EXPECT_EQ(message("0"), "--metrics takes [HOST:]PORT, not '0': the port must be 1..65535");
  EXPECT_EQ(message("70000"),
            "--metrics takes [HOST:]PORT, not '70000': the port must be 1..65535");
  EXPECT_EQ(message(":9100"), "--metrics takes [HOST:]PORT, not ':9100': the host is empty");
  EXPECT_EQ(message("::1:9100"),
            "--metrics takes [HOST:]PORT, not '::1:9100': an IPv6 address is written "
            "[ADDRESS]:PORT");
  EXPECT_EQ(message("[::1]9100"),
            "--metrics takes [HOST:]PORT, not '[::1]9100': an IPv6 address is written "
            "[ADDRESS]:PORT");
}

} // namespace
} // namespace tracelet::test
