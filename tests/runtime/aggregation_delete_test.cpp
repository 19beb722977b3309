// delete() of one key of an aggregation map: hist()/lhist() (every bucket of the key goes),
// stats()/avg(); the other keys stay, in text and -f json. bpftrace 0.17 differs (see
// docs/differences.md): it deletes at most one stale bucket of a hist key.
#include "harness.h"
#include "json_value.h"

#include <gtest/gtest.h>

using namespace tracelet::test;

namespace {

const Json* map_doc(const std::vector<Json>& docs, const std::string& map) {
  for (const auto& d : docs)
    if (d["data"].has(map)) return &d;
  return nullptr;
}

} // namespace

TEST(AggregationDelete, HistKeyLosesEveryBucketOthersStay) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(BEGIN {
      @h[1] = hist(0); @h[1] = hist(5); @h[1] = hist(1000); @h[1] = hist(-1);
      @h[2] = hist(10);
      delete(@h[1]); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out,
            "Attaching 1 probe...\n\n\n"
            "@h[2]: \n"
            "[8, 16)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(AggregationDelete, HistAfterDeleteStartsFromZero) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(BEGIN {
      @h[1] = hist(5); @h[1] = hist(6); delete(@h[1]); @h[1] = hist(1); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out,
            "Attaching 1 probe...\n\n\n"
            "@h[1]: \n"
            "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(AggregationDelete, MultiKeyAndNarrowKeysOfHistAndLhist) {
  REQUIRE_BPF();
  // Keys narrower than 8 bytes are padded before the bucket; both forms of delete().
  auto r = run_tracelet({"-e", R"(BEGIN {
      @h[pid, comm] = hist(5); @h[1, "x"] = hist(3); delete(@h[pid, comm]);
      @n[(uint8)1] = lhist(5, 0, 10, 1); @n[(uint8)2] = lhist(-3, 0, 10, 1);
      @n[(uint8)1] = lhist(50, 0, 10, 1); delete(@n[(uint8)1]);
      @t[(uint16)1, (uint8)2] = hist(1); @t[(uint16)1, (uint8)3] = hist(1);
      delete(@t, ((uint16)1, (uint8)2));
      exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out,
            "Attaching 1 probe...\n\n\n"
            "@h[1, x]: \n"
            "[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n"
            "@n[2]: \n"
            "(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n"
            "@t[1, 3]: \n"
            "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(AggregationDelete, StatsAndAvgKeysAreRemoved) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(BEGIN {
      @s[1] = stats(5); @s[2] = stats(10); @a[1] = avg(5); @a[2] = avg(10);
      delete(@s[1]); delete(@a[1]); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "Attaching 1 probe...\n\n\n"
                   "@a[2]: 10\n\n"
                   "@s[2]: count 1, average 10, total 10\n\n");
}

TEST(AggregationDelete, IntervalDeletesBetweenPrints) {
  REQUIRE_BPF();
  // Ticks 1..6 fill keys 0 and 1; tick 4 deletes key 0 (ticks 2 and 4), tick 5 prints.
  auto r = run_tracelet({"-e", R"(interval:ms:20 {
      @i++; @h[(uint64)@i % 2] = lhist(@i, 0, 10, 2);
      if (@i == 4) { delete(@h[0]); }
      if (@i == 5) { print(@h); }
      if (@i == 6) { clear(@i); exit(); } })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out,
            "Attaching 1 probe...\n"
            "@h[1]: \n"
            "[0, 2)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 6)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n\n\n"
            "@h[0]: \n"
            "[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n"
            "@h[1]: \n"
            "[0, 2)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 6)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n"
            "\n"); // the cleared @i, as bpftrace prints an empty map
}

TEST(AggregationDelete, JsonShowsOnlyTheRemainingKeys) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-f", "json", "-e", R"(BEGIN {
      @h[1] = hist(5); @h[2] = hist(10); @l["a"] = lhist(3, 0, 10, 5);
      @l["b"] = lhist(7, 0, 10, 5); @s[1] = stats(4); @s[2] = stats(8);
      delete(@h[1]); delete(@l["b"]); delete(@s[2]); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<Json> docs;
  ASSERT_NO_THROW(docs = json_lines(r.out)) << r.out;
  const Json* h = map_doc(docs, "@h");
  ASSERT_TRUE(h) << r.out;
  EXPECT_EQ((*h)["type"].text, "hist");
  EXPECT_FALSE((*h)["data"]["@h"].has("1")) << r.out;
  ASSERT_TRUE((*h)["data"]["@h"].has("2")) << r.out;
  EXPECT_EQ((*h)["data"]["@h"]["2"][0]["min"].number, 8);
  EXPECT_EQ((*h)["data"]["@h"]["2"][0]["count"].number, 1);
  const Json* l = map_doc(docs, "@l");
  ASSERT_TRUE(l) << r.out;
  EXPECT_TRUE((*l)["data"]["@l"].has("a")) << r.out;
  EXPECT_FALSE((*l)["data"]["@l"].has("b")) << r.out;
  const Json* s = map_doc(docs, "@s");
  ASSERT_TRUE(s) << r.out;
  EXPECT_TRUE((*s)["data"]["@s"].has("1")) << r.out;
  EXPECT_FALSE((*s)["data"]["@s"].has("2")) << r.out;
}

TEST(AggregationDelete, CheckedDeleteOfHistKeyWarnsAboutNothing) {
  REQUIRE_BPF();
  // -k: the per-bucket deletes are not checked (most buckets are empty); others still are.
  auto r = run_tracelet({"-k", "-e", R"(BEGIN {
      @h[1] = hist(5); delete(@h[1]); delete(@h[9]); @x[1] = 1; delete(@x[2]); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "warning: Failed to map_delete_elem"), 1u) << r.out;
  EXPECT_NE(r.out.find("delete(@x[2])"), std::string::npos) << r.out;
}

TEST(AggregationDelete, LargestLhistDeleteLoads) {
  REQUIRE_BPF();
  // bpf_loop's limit: 2^23 buckets (min..max, plus the two outer ones). The verifier checks
  // the callback once, so the program is as small as a hist()'s delete.
  auto r = run_tracelet(
      {"--dry-run", "-v", "-e", "BEGIN { @h[1] = lhist(5, 0, 8388606, 1); delete(@h[1]); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("loaded BEGIN"), std::string::npos) << r.err;
  auto more = run_tracelet(
      {"--dry-run", "-e", "BEGIN { @h[1] = lhist(5, 0, 8388607, 1);\n  delete(@h[1]); }"});
  EXPECT_EQ(more.exit_status, 1);
  EXPECT_EQ(more.err, "stdin:2:3: error: delete() of one key of an lhist() map with more than "
                      "8388608 buckets (this one has 8388609)\n"
                      "  delete(@h[1]); }\n"
                      "  ^~~~~~~~~~~~~\n");
}
