// Pointer-typed values (issue 10, item 2) in real probes: pointers keep their type in scratch
// variables and maps, so `->`, `[]` and `*` work through them; curtask is a
// `struct task_struct *` wherever it is stored; %d of a pointer prints its address; pointer
// values print in decimal and pointer keys in hex, in text and JSON. bpftrace 0.17 prints the
// same lines for these scripts (the differential cases 700-713 cover what BEGIN can show).
#include "uprobe_target.h"

#include <gtest/gtest.h>

#include <csignal>
#include <regex>

using namespace tracelet::test;

namespace {

TEST(Pointers, IndexingThroughAVariableAndAMap) {
  REQUIRE_BPF();
  // tl_greet("tracelet"): arg0 points at the string in user memory.
  auto r = trace_uprobe_target("uprobe:" + uprobe_target() + R"(:tl_greet {
      $p = (int8 *)arg0;
      @a[0] = (int8 *)arg0;
      @s = (uint8 *)arg0;
      @s += 2;
      printf("%c%c %c%c %c\n", $p[0], $p[1], @a[0][0], @a[0][7], *@s);
      $p++;
      printf("%c %c\n", *$p, $p[2]); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("tr tt a\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("r c\n"), std::string::npos) << r.out;
}

TEST(Pointers, ScriptStructPointerInAMapReadInTheReturnProbe) {
  REQUIRE_BPF();
  // tlx_point_sum(&{3, 4, "pt", {10, 20}}, &5): the pointer is kept per thread in a map at
  // entry and read through at return, as bpftrace tools keep `struct sock *` between probes.
  auto r =
      trace_uprobe_target(std::string(kTlxPoint) + "uprobe:" + uprobe_target() + R"(:tlx_point_sum {
        @pt[tid] = (struct tlx_point *)arg0;
        $next = @pt[tid] + 1;
        printf("step %d\n", (uint64)$next - (uint64)@pt[tid]);
      }
      uretprobe:)" + uprobe_target() +
                          R"(:tlx_point_sum /@pt[tid] != 0/ {
        $p = @pt[tid];
        printf("ret %d %d %s %d %d\n", retval, $p->y, @pt[tid]->name, @pt[tid]->values[1],
               ((int32 *)$p)[1]);
        delete(@pt[tid]);
      })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("step 32\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ret 35 4 pt 20 4\n"), std::string::npos) << r.out;
}

TEST(Pointers, CurtaskKeepsItsTypeInVariablesAndMaps) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", R"(BEGIN {
      $t = curtask;
      @t = curtask;
      @byid[1] = curtask;
      printf("%d %d %d %s\n", $t->pid == (int32)pid, @t->tgid == (int32)pid,
             @byid[1]->pid == (int32)tid, $t->comm);
      printf("%ld %ld %d\n", curtask, (int64)curtask, $t == @t);
      exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("1 1 1 tracelet\n"), std::string::npos) << r.out;
  // %ld of a pointer is its address; the map prints it in decimal (a kernel address is
  // negative as int64, as bpftrace 0.17 prints it: @t: -131387287321856).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("\n(-[0-9]+) (-[0-9]+) 1\n"))) << r.out;
  EXPECT_EQ(m[1], m[2]) << r.out;
  EXPECT_NE(r.out.find("@t: " + m[1].str() + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@byid[1]: " + m[1].str() + "\n"), std::string::npos) << r.out;
}

TEST(Pointers, JsonOutputOfPointerValuesAndKeys) {
  REQUIRE_BPF();
  // bpftrace 0.17 -f json prints exactly these lines for this script.
  auto r = run_tracelet({"-f", "json", "-e", R"(BEGIN {
      @p = (int32*)32;
      @q[(int8*)3] = (uint16*)7;
      @r[1] = (int8*)255;
      @neg = (int8*)-1;
      @t = ((int8*)-2, 1);
      @u[(int8*)-3, (int16*)4] = (5, (int32*)-6);
      print(@p);
      printf("%d\n", @p);
      exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, R"({"type": "attached_probes", "data": {"probes": 1}}
{"type": "map", "data": {"@p": 32}}
{"type": "printf", "data": "32\n"}


{"type": "map", "data": {"@neg": -1}}
{"type": "map", "data": {"@p": 32}}
{"type": "map", "data": {"@q": {"0x3": 7}}}
{"type": "map", "data": {"@r": {"1": 255}}}
{"type": "map", "data": {"@t": [-2,1]}}
{"type": "map", "data": {"@u": {"0xfffffffffffffffd,0x4": [5,-6]}}}
)");
}

TEST(TupleLayout, JsonOutputOfTuplesOfMixedSizes) {
  REQUIRE_BPF();
  // Tuples laid out with natural alignment (issue 10, item 12) read back element by element:
  // bpftrace 0.17 -f json prints exactly these lines for this script.
  auto r = run_tracelet({"-f", "json", "-e", R"(BEGIN {
      $t = ((int8)-1, (int16)2, (int32)-3, "s", ((uint8)4, (int64)5));
      print($t);
      @m[(int8)1, "k"] = ((int16)-7, (uint32)8);
      @n = ((int8)1, ((int8)2, (int64)3), "x");
      exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, R"({"type": "attached_probes", "data": {"probes": 1}}
{"type": "value", "data": [-1,2,-3,"s",[4,5]]}


{"type": "map", "data": {"@m": {"1,k": [-7,8]}}}
{"type": "map", "data": {"@n": [1,[2,3],"x"]}}
)");
}

TEST(Pointers, CompoundAssignmentOtherThanAddSubIsALocatedError) {
  auto r = run_tracelet({"-e", "BEGIN { $p = (int32*)32; $p *= 2; }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:32: error: '*=' cannot combine int32 * and int64: a pointer takes "
                   "only += and -= of an integer\n"
                   "BEGIN { $p = (int32*)32; $p *= 2; }\n"
                   "                               ^\n");
}

TEST(Pointers, PointerDifferenceIsALocatedError) {
  // As bpftrace 0.17 ("The - operator can not be used on expressions of types int32 *, ...").
  auto r = run_tracelet({"-e", "BEGIN { $p = (int32*)32; $q = $p - $p; }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:31: error: invalid operands to '-': int32 * and int32 *\n"
                   "BEGIN { $p = (int32*)32; $q = $p - $p; }\n"
                   "                              ^~~~~~~\n");
}

} // namespace
