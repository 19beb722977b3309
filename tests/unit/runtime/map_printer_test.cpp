// Map printing. Each test synthesizes the kernel map contents that a script leaves (as the
// brief's map layouts define them) and expects exactly what bpftrace 0.17 printed on this
// machine for that script; the script is quoted above each test.
#include "runtime/output/map_printer.h"
#include "test_values.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace tracelet;
using namespace tracelet::test;
using runtime::MapEntry;

namespace {

const std::vector<std::string> kProbes = {"BEGIN"};

struct Map {
  codegen::MapDesc desc;
  std::vector<MapEntry> entries;
};

// What tracelet prints at exit: two newlines, then every map in name order.
std::string at_exit(std::vector<Map> maps) {
  std::sort(maps.begin(), maps.end(),
            [](const Map& a, const Map& b) { return a.desc.name < b.desc.name; });
  std::string out = "\n\n";
  for (const auto& m : maps)
    out += runtime::format_map(m.desc, m.entries, kProbes);
  return out;
}

std::vector<std::vector<uint8_t>> cpus(std::vector<uint8_t> cpu0, std::vector<uint8_t> cpu1) {
  return {std::move(cpu0), std::move(cpu1)};
}
std::vector<std::vector<uint8_t>> counts(uint64_t cpu0, uint64_t cpu1 = 0) {
  return cpus(u64_bytes(cpu0), u64_bytes(cpu1));
}
std::vector<uint8_t> array_key() {
  return std::vector<uint8_t>(4, 0);
}
std::vector<uint8_t> i64_key(int64_t v) {
  return u64_bytes(static_cast<uint64_t>(v));
}

// Adds one observation of `value` to a hist map entry list (keyless when key is empty).
void add_hist(std::vector<MapEntry>& entries, const std::vector<uint8_t>& key, uint64_t bucket,
              uint64_t n = 1) {
  auto bpf_key = concat(key, u64_bytes(bucket));
  for (auto& e : entries)
    if (e.key == bpf_key) {
      uint64_t c;
      std::memcpy(&c, e.values[1].data(), 8);
      e.values[1] = u64_bytes(c + n); // the second CPU, to exercise folding
      return;
    }
  entries.push_back(entry(bpf_key, counts(n)));
}

Type none() {
  return Type::none();
}

} // namespace

// BEGIN { @a[1]=count(); @h = hist(5); @l = lhist(7, 0, 100, 10); @s = stats(3); exit(); }
TEST(MapPrinter, EveryKindOnce) {
  Map a{map_desc("@a", Type::i64(), Type::aggregation(TypeKind::Count)),
        {entry(i64_key(1), counts(1))}};
  Map h{map_desc("@h", none(), Type::aggregation(TypeKind::Hist)), {}};
  add_hist(h.entries, {}, ast::hist_bucket(5));
  Map l{map_desc("@l", none(), Type::lhist(0, 100, 10)), {}};
  add_hist(l.entries, {}, ast::lhist_bucket(7, 0, 100, 10));
  Map s{map_desc("@s", none(), Type::aggregation(TypeKind::Stats)),
        {entry(array_key(), cpus(avg_bytes(1, 3), avg_bytes(0, 0)))}};
  EXPECT_EQ(at_exit({s, l, h, a}), R"EXP(

@a[1]: 1
@h: 
[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@l: 
[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@s: count 1, average 3, total 3

)EXP");
}

// BEGIN { @h = hist(-5); @h = hist(0); @h=hist(0); @h = hist(1); @h=hist(2); @h=hist(3);
//   @h=hist(1000); @h=hist(1025); @h=hist(1048577); @g[1]=hist(10); @g[1]=hist(10);
//   @g[2]=hist(10); exit(); }
TEST(MapPrinter, HistLabelsBarsAndOrderByTotal) {
  Map h{map_desc("@h", none(), Type::aggregation(TypeKind::Hist)), {}};
  for (int64_t v : {-5, 0, 0, 1, 2, 3, 1000, 1025, 1048577})
    add_hist(h.entries, {}, ast::hist_bucket(v));
  Map g{map_desc("@g", Type::i64(), Type::aggregation(TypeKind::Hist)), {}};
  add_hist(g.entries, i64_key(1), ast::hist_bucket(10), 2);
  add_hist(g.entries, i64_key(2), ast::hist_bucket(10));
  EXPECT_EQ(at_exit({h, g}), R"EXP(

@g[2]: 
[8, 16)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@g[1]: 
[8, 16)                2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@h: 
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[0]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[4, 8)                 0 |                                                    |
[8, 16)                0 |                                                    |
[16, 32)               0 |                                                    |
[32, 64)               0 |                                                    |
[64, 128)              0 |                                                    |
[128, 256)             0 |                                                    |
[256, 512)             0 |                                                    |
[512, 1K)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[2K, 4K)               0 |                                                    |
[4K, 8K)               0 |                                                    |
[8K, 16K)              0 |                                                    |
[16K, 32K)             0 |                                                    |
[32K, 64K)             0 |                                                    |
[64K, 128K)            0 |                                                    |
[128K, 256K)           0 |                                                    |
[256K, 512K)           0 |                                                    |
[512K, 1M)             0 |                                                    |
[1M, 2M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |

)EXP");
}

// BEGIN { @l = lhist(-5, 0, 100, 10); @l = lhist(5, 0, 100, 10); @l=lhist(100,0,100,10);
//   @l=lhist(35,0,100,10); @k = lhist(2048, 0, 4096, 1024); @k=lhist(5000,0,4096,1024);
//   @k=lhist(5000,0,4096,1024); @m=lhist(3000000, 1048576, 4194304, 1048576); exit(); }
TEST(MapPrinter, LhistLabelsOuterBucketsAndSuffixes) {
  Map l{map_desc("@l", none(), Type::lhist(0, 100, 10)), {}};
  for (int64_t v : {-5, 5, 100, 35})
    add_hist(l.entries, {}, ast::lhist_bucket(v, 0, 100, 10));
  Map k{map_desc("@k", none(), Type::lhist(0, 4096, 1024)), {}};
  for (int64_t v : {2048, 5000, 5000})
    add_hist(k.entries, {}, ast::lhist_bucket(v, 0, 4096, 1024));
  Map m{map_desc("@m", none(), Type::lhist(1048576, 4194304, 1048576)), {}};
  add_hist(m.entries, {}, ast::lhist_bucket(3000000, 1048576, 4194304, 1048576));
  EXPECT_EQ(at_exit({l, k, m}), R"EXP(

@k: 
[2K, 3K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[3K, 4K)               0 |                                                    |
[4K, ...)              2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@l: 
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[0, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[10, 20)               0 |                                                    |
[20, 30)               0 |                                                    |
[30, 40)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[40, 50)               0 |                                                    |
[50, 60)               0 |                                                    |
[60, 70)               0 |                                                    |
[70, 80)               0 |                                                    |
[80, 90)               0 |                                                    |
[90, 100)              0 |                                                    |
[100, ...)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@m: 
[2M, 3M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

)EXP");
}

// BEGIN { @a[1]=count(); @a[2]=count(); @a[2]=count(); @a[3]=count(); @a[3]=count();
//   @a[3]=count(); print(@a, 2); print(@a, 0, 2); @x[1] = sum(10); @x[2]=sum(25);
//   print(@x, 1, 10); @h = hist(4); @h=hist(4); @h=hist(4); @h=hist(0); print(@h, 0, 2);
//   @l = lhist(4,0,10,1); @l = lhist(4,0,10,1); print(@l, 0, 2); @s = stats(10);
//   print(@s, 0, 2); @v = avg(10); print(@v, 0, 3); clear(@a); clear(@x); clear(@h);
//   clear(@l); clear(@s); clear(@v); exit(); }
TEST(MapPrinter, PrintTopAndDivThenClearedMapsAtExit) {
  Map a{map_desc("@a", Type::i64(), Type::aggregation(TypeKind::Count)),
        {entry(i64_key(3), counts(2, 1)), entry(i64_key(1), counts(1)),
         entry(i64_key(2), counts(0, 2))}};
  Map x{map_desc("@x", Type::i64(), Type::aggregation(TypeKind::Sum)),
        {entry(i64_key(1), counts(10)), entry(i64_key(2), counts(20, 5))}};
  Map h{map_desc("@h", none(), Type::aggregation(TypeKind::Hist)), {}};
  for (int64_t v : {4, 4, 4, 0})
    add_hist(h.entries, {}, ast::hist_bucket(v));
  Map l{map_desc("@l", none(), Type::lhist(0, 10, 1)), {}};
  add_hist(l.entries, {}, ast::lhist_bucket(4, 0, 10, 1), 2);
  Map s{map_desc("@s", none(), Type::aggregation(TypeKind::Stats)),
        {entry(array_key(), cpus(avg_bytes(1, 10), avg_bytes(0, 0)))}};
  Map v{map_desc("@v", none(), Type::aggregation(TypeKind::Avg)),
        {entry(array_key(), cpus(avg_bytes(0, 0), avg_bytes(1, 10)))}};
  std::string printed = runtime::format_map(a.desc, a.entries, kProbes, 2) +
                        runtime::format_map(a.desc, a.entries, kProbes, 0, 2) +
                        runtime::format_map(x.desc, x.entries, kProbes, 1, 10) +
                        runtime::format_map(h.desc, h.entries, kProbes, 0, 2) +
                        runtime::format_map(l.desc, l.entries, kProbes, 0, 2) +
                        runtime::format_map(s.desc, s.entries, kProbes, 0, 2) +
                        runtime::format_map(v.desc, v.entries, kProbes, 0, 3);
  // clear(): hashes lose their entries, keyless arrays are zeroed.
  for (Map* m : {&a, &x, &h, &l})
    m->entries.clear();
  s.entries = {entry(array_key(), cpus(avg_bytes(0, 0), avg_bytes(0, 0)))};
  v.entries = s.entries;
  EXPECT_EQ(printed + at_exit({a, x, h, l, s, v}), R"EXP(@a[2]: 2
@a[3]: 3
@a[1]: 0
@a[2]: 1
@a[3]: 1
@x[2]: 2
@h: 
[0]                    0 |@@@@@@@@@@@@@@@@@                                   |
[1]                    0 |                                                    |
[2, 4)                 0 |                                                    |
[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@l: 
[4, 5)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@s: count 1, average 10, total 10

@v: 3











)EXP");
}

// BEGIN { @s = stats(3); @s=stats(4); @s = stats(10); @t[1] = stats(5); @t[2]=stats(1);
//   @u = avg(3); @u=avg(4); @v[1]=avg(3); @v[2]=avg(-1); exit(); }
TEST(MapPrinter, StatsAndAvgSortedByAverage) {
  Map s{map_desc("@s", none(), Type::aggregation(TypeKind::Stats)),
        {entry(array_key(), cpus(avg_bytes(2, 7), avg_bytes(1, 10)))}};
  Map t{map_desc("@t", Type::i64(), Type::aggregation(TypeKind::Stats)),
        {entry(i64_key(1), cpus(avg_bytes(1, 5), avg_bytes(0, 0))),
         entry(i64_key(2), cpus(avg_bytes(0, 0), avg_bytes(1, 1)))}};
  Map u{map_desc("@u", none(), Type::aggregation(TypeKind::Avg)),
        {entry(array_key(), cpus(avg_bytes(1, 3), avg_bytes(1, 4)))}};
  Map v{map_desc("@v", Type::i64(), Type::aggregation(TypeKind::Avg)),
        {entry(i64_key(1), cpus(avg_bytes(1, 3), avg_bytes(0, 0))),
         entry(i64_key(2), cpus(avg_bytes(1, -1), avg_bytes(0, 0)))}};
  EXPECT_EQ(at_exit({s, t, u, v}), R"EXP(

@s: count 3, average 5, total 17

@t[2]: count 1, average 1, total 1
@t[1]: count 1, average 5, total 5

@u: 3

@v[2]: -1
@v[1]: 3

)EXP");
}

// BEGIN { @s[-1] = "neg"; @s[5] = "five"; @s[2] = "two"; @t = (1, "ab", -3); @i[1] = -5;
//   @i[2] = 3; @i[3] = -7; @n[-5]=count(); @n[3]=count(); @n[3]=count(); @mm[1] = min(5);
//   @mm[2]=min(-3); @mx[1]=max(5); @mx[2]=max(7); @p[probe] = count(); @k["b", 2] = count();
//   @k["a", 3] = count() (x3); @k["a", 1] = count() (x2); exit(); }
TEST(MapPrinter, ValuesKeysAndTheirOrder) {
  Map s{map_desc("@s", Type::i64(), Type::string(64)),
        {entry(i64_key(-1), {string_bytes("neg")}), entry(i64_key(5), {string_bytes("five")}),
         entry(i64_key(2), {string_bytes("two")})}};
  Type tuple = Type::tuple({Type::i64(), Type::string(3), Type::i64()});
  Bytes tv({Type::i64(), Type::string(3), Type::i64()});
  tv.i(0, 1).s(1, "ab").i(2, -3);
  Map t{map_desc("@t", none(), tuple), {entry(u64_bytes(0), {tv.data()})}};
  Map i{map_desc("@i", Type::i64(), Type::i64()),
        {entry(i64_key(1), {u64_bytes(static_cast<uint64_t>(-5))}),
         entry(i64_key(2), {u64_bytes(3)}),
         entry(i64_key(3), {u64_bytes(static_cast<uint64_t>(-7))})}};
  Map n{map_desc("@n", Type::i64(), Type::aggregation(TypeKind::Count)),
        {entry(i64_key(3), counts(1, 1)), entry(i64_key(-5), counts(1))}};
  Map mm{map_desc("@mm", Type::i64(), Type::aggregation(TypeKind::Min)),
         {entry(i64_key(1), cpus(minmax_bytes(5), minmax_bytes(0, false))),
          entry(i64_key(2), cpus(minmax_bytes(0, false), minmax_bytes(-3)))}};
  Map mx{map_desc("@mx", Type::i64(), Type::aggregation(TypeKind::Max)),
         {entry(i64_key(2), cpus(minmax_bytes(7), minmax_bytes(0, false))),
          entry(i64_key(1), cpus(minmax_bytes(5), minmax_bytes(2)))}};
  Map p{map_desc("@p", Type::probe(), Type::aggregation(TypeKind::Count)),
        {entry(u64_bytes(0), counts(1))}};
  Type key = Type::tuple({Type::string(2), Type::i64()});
  auto k_key = [&](const std::string& s, int64_t v) {
    Bytes b({Type::string(2), Type::i64()});
    b.s(0, s).i(1, v);
    return b.data();
  };
  Map k{map_desc("@k", key, Type::aggregation(TypeKind::Count)),
        {entry(k_key("b", 2), counts(1)), entry(k_key("a", 3), counts(3)),
         entry(k_key("a", 1), counts(1, 1))}};
  EXPECT_EQ(at_exit({s, t, i, n, mm, mx, p, k}), R"EXP(

@i[3]: -7
@i[1]: -5
@i[2]: 3
@k[b, 2]: 1
@k[a, 1]: 2
@k[a, 3]: 3
@mm[2]: -3
@mm[1]: 5
@mx[1]: 5
@mx[2]: 7
@n[-5]: 1
@n[3]: 2
@p[BEGIN]: 1
@s[2]: two
@s[5]: five
@s[-1]: neg
@t: (1, ab, -3)
)EXP");
}

// BEGIN { @c[1]=count(); clear(@c); @d[1]=hist(1); clear(@d); @e[1]=stats(1); clear(@e);
//   @f = 1; delete(@f); exit(); }
TEST(MapPrinter, EmptyMapsPrintBlankLines) {
  Map c{map_desc("@c", Type::i64(), Type::aggregation(TypeKind::Count)), {}};
  Map d{map_desc("@d", Type::i64(), Type::aggregation(TypeKind::Hist)), {}};
  Map e{map_desc("@e", Type::i64(), Type::aggregation(TypeKind::Stats)), {}};
  Map f{map_desc("@f", none(), Type::i64()), {}};
  EXPECT_EQ(at_exit({c, d, e, f}), R"EXP(






)EXP");
}

// Keyless aggregations live in one-slot arrays. bpftrace 0.17 keeps count() in an array too
// (`BEGIN { @a = count(); clear(@a); exit(); }` prints "@a: 0"), but min/max/avg/stats in
// hashes, which are empty until written: a slot never written prints as an empty map.
TEST(MapPrinter, KeylessArraySlots) {
  auto zero_count = map_desc("@a", none(), Type::aggregation(TypeKind::Count));
  EXPECT_EQ(runtime::format_map(zero_count, {entry(array_key(), counts(0))}, kProbes), "@a: 0\n");
  auto unset_min = map_desc("@m", none(), Type::aggregation(TypeKind::Min));
  EXPECT_EQ(runtime::format_map(
                unset_min,
                {entry(array_key(), cpus(minmax_bytes(0, false), minmax_bytes(0, false)))},
                kProbes),
            "\n");
  auto set_max = map_desc("@m", none(), Type::aggregation(TypeKind::Max));
  EXPECT_EQ(runtime::format_map(
                set_max, {entry(array_key(), cpus(minmax_bytes(-9), minmax_bytes(-4)))}, kProbes),
            "@m: -4\n");
  auto unset_avg = map_desc("@v", none(), Type::aggregation(TypeKind::Avg));
  EXPECT_EQ(runtime::format_map(unset_avg, {entry(array_key(), counts(0, 0))}, kProbes), "\n\n");
}

// BEGIN { @c = sum(3); clear(@c); @d = sum(3); zero(@d); exit(); } prints "\n@d: 0\n".
TEST(MapPrinter, KeylessSumAtZeroIsEmptyUnlessZeroed) {
  auto c = map_desc("@c", none(), Type::aggregation(TypeKind::Sum));
  auto slot = std::vector<MapEntry>{entry(array_key(), counts(0, 0))};
  auto d = map_desc("@d", none(), Type::aggregation(TypeKind::Sum));
  EXPECT_EQ(runtime::format_map(c, slot, kProbes) +
                runtime::format_map(d, slot, kProbes, 0, 0, /*zeroed=*/true),
            "\n@d: 0\n");
}

TEST(MapPrinter, SignedSumAndUnsignedValues) {
  auto sum = map_desc("@s", none(), Type::aggregation(TypeKind::Sum));
  EXPECT_EQ(
      runtime::format_map(sum, {entry(array_key(), counts(static_cast<uint64_t>(-8), 3))}, kProbes),
      "@s: -5\n");
  auto u = map_desc("@u", Type::u64(), Type::u64());
  EXPECT_EQ(runtime::format_map(
                u, {entry(u64_bytes(1), {u64_bytes(~0ull)}), entry(u64_bytes(2), {u64_bytes(1)})},
                kProbes),
            "@u[2]: 1\n@u[1]: 18446744073709551615\n");
}

// BEGIN { @x = 1; clear(@x); @y[1] = 2; zero(@y); @z = hist(1); zero(@z); @w = stats(5);
//   zero(@w); @q[1] = stats(5); zero(@q); @m = min(4); zero(@m); exit(); }
// bpftrace keeps zeroed entries; a zeroed keyless array slot must print the same.
TEST(MapPrinter, ZeroedMapsKeepTheirEntries) {
  auto w = map_desc("@w", none(), Type::aggregation(TypeKind::Stats));
  auto zero_slot = std::vector<MapEntry>{entry(array_key(), counts(0, 0))};
  EXPECT_EQ(runtime::format_map(w, zero_slot, kProbes, 0, 0, /*zeroed=*/true),
            "@w: count 0, average 0, total 0\n\n");
  auto q = map_desc("@q", Type::i64(), Type::aggregation(TypeKind::Stats));
  EXPECT_EQ(runtime::format_map(q, {entry(i64_key(1), counts(0, 0))}, kProbes),
            "@q[1]: count 0, average 0, total 0\n\n");
  auto m = map_desc("@m", none(), Type::aggregation(TypeKind::Min));
  auto unset = std::vector<MapEntry>{
      entry(array_key(), cpus(minmax_bytes(0, false), minmax_bytes(0, false)))};
  EXPECT_EQ(runtime::format_map(m, unset, kProbes, 0, 0, /*zeroed=*/true), "@m: 0\n");
  auto z = map_desc("@z", none(), Type::aggregation(TypeKind::Hist));
  EXPECT_EQ(runtime::format_map(z, {entry(u64_bytes(2), counts(0, 0))}, kProbes), "@z: \n\n");
}

// BEGIN { @m[(uint8)255] = 1; @m[(int8)-1] = 2; @n[(uint64)18446744073709551615] = 3; exit(); }
TEST(MapPrinter, SixtyFourBitIntegerKeysPrintSigned) {
  Map m{map_desc("@m", Type::u64(), Type::i64()),
        {entry(u64_bytes(255), {u64_bytes(1)}), entry(u64_bytes(~0ull), {u64_bytes(2)})}};
  Map n{map_desc("@n", Type::u64(), Type::i64()), {entry(u64_bytes(~0ull), {u64_bytes(3)})}};
  EXPECT_EQ(at_exit({m, n}), "\n\n@m[255]: 1\n@m[-1]: 2\n@n[-1]: 3\n");
}

// BEGIN { @s = sum(9223372036854775807); @s = sum(1); @u = sum((uint64)18446744073709551615);
//   exit(); } — a sum of unsigned values prints unsigned.
TEST(MapPrinter, SumSignednessFollowsItsType) {
  Type unsigned_sum = Type::aggregation(TypeKind::Sum);
  unsigned_sum.is_signed = false;
  Map s{map_desc("@s", none(), Type::aggregation(TypeKind::Sum)),
        {entry(array_key(), counts(9223372036854775807ull, 1))}};
  Map u{map_desc("@u", none(), unsigned_sum), {entry(array_key(), counts(~0ull))}};
  EXPECT_EQ(at_exit({s, u}), "\n\n@s: -9223372036854775808\n@u: 18446744073709551615\n");
}
