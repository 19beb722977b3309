// The newer statement forms of issue 3, run on the real kernel: for loops over maps (as
// bpf_for_each_map_elem callbacks) and ranges (bpf_loop), let and block scopes, len() and
// has_key(), true/false, the integer width of variables.
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <unistd.h>

using namespace tracelet::test;

namespace {

RunResult run_program(const std::string& program) {
  return run_tracelet({"-q", "-e", program});
}

} // namespace

TEST(Statements, ForOverMapSeesEveryElementAndSharesVariables) {
  REQUIRE_BPF();
  // The body reads and writes $sum and $last of the probe; the key and value of every element
  // arrive exactly once. Sorted output: the map is printed, not the loop order.
  auto r = run_program(R"(BEGIN {
      @m[1] = 10; @m[2] = 20; @m[3] = 30;
      $sum = 0; $count = 0;
      for ($kv : @m) { $sum += $kv.0 * $kv.1; $count++; @seen[$kv.0] = $kv.1 + 1; }
      printf("sum=%d count=%d\n", $sum, $count);
      clear(@m); exit(); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("sum=140 count=3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@seen[1]: 11\n@seen[2]: 21\n@seen[3]: 31\n"), std::string::npos) << r.out;
}

TEST(Statements, ForOverMultiKeyMapWithStrings) {
  REQUIRE_BPF();
  auto r = run_program(R"(BEGIN {
      @m["a", 1] = "one"; @m["b", 2] = "two";
      $keys = 0; $text = "none";
      for ($kv : @m) { $keys += $kv.0.1; if ($kv.0.0 == "b") { $text = $kv.1; } }
      printf("%d %s\n", $keys, $text);
      clear(@m); exit(); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("3 two\n"), std::string::npos) << r.out;
}

TEST(Statements, BreakContinueReturnAndExitInLoops) {
  REQUIRE_BPF();
  auto r = run_program(R"(BEGIN {
      for $i : 0..10 { if ($i == 2) { continue; } if ($i == 5) { break; } printf("%d,", $i); }
      printf("\n");
      @m[1] = 1; @m[2] = 2; @m[3] = 3; $n = 0;
      for ($kv : @m) { $n++; break; }
      printf("visited %d\n", $n);
      clear(@m);
      for $j : 0..3 { if ($j == 1) { printf("returning\n"); return; } }
      printf("not reached\n"); }
      END { for $k : 0..3 { if ($k == 1) { exit(); } printf("end %d\n", $k); }
            printf("not reached either\n"); }
      interval:ms:50 { exit(); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("0,1,3,4,\nvisited 1\nreturning\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("end 0\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("not reached"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("end 1"), std::string::npos) << r.out;
}

TEST(Statements, RangeBoundsAreEvaluatedOnceAndMayBeParameters) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-e", R"(BEGIN {
      $a = 4; $t = 0;
      for $i : 1..$a { $a--; $t += $i; }
      for ($j : $1..$1 + 3) { @r[$j] = $j * $j; }
      for $e : 5..2 { printf("empty range ran\n"); }
      $nested = 0;
      for $x : 0..4 { for $y : 0..$x { $nested++; } }
      printf("t=%d a=%d nested=%d\n", $t, $a, $nested); exit(); })",
                         "10"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("t=6 a=1 nested=6\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@r[10]: 100\n@r[11]: 121\n@r[12]: 144\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("empty range ran"), std::string::npos) << r.out;
}

TEST(Statements, ForBodyInATracepointUsesArgsAndComm) {
  REQUIRE_BPF();
  // The probe's context reaches the callback: args, str() and kstack work in the body.
  std::string path = "/tmp/tracelet-for-" + std::to_string(getpid());
  auto r = trace_until_exit(R"(tracepoint:syscalls:sys_enter_openat /str(args.filename) == ")" +
                                path + R"("/ {
        @once[1] = 1;
        for ($kv : @once) { printf("%s %s\n", comm, str(args.filename)); @k[kstack] = count(); }
        exit(); })",
                            {workload_binary(), "open", path}, {"-q"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("tl_workload " + path + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@k[\n"), std::string::npos) << r.out;
}

TEST(Statements, LetAndBlockScopes) {
  REQUIRE_BPF();
  auto r = run_program(R"(BEGIN {
      let $total: int64;
      { let $a = 5; $total = $a; }
      { let $a = "five"; printf("%s\n", $a); }
      let $s;
      if ($total > 1) { $s = "big"; } else { $s = "small"; }
      if (1) { $probe_wide = 7; }
      printf("%d %s %d\n", $total, $s, $probe_wide); exit(); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("five\n5 big 7\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(Statements, ScopeErrorsAreLocatedAndNothingRuns) {
  REQUIRE_BPF();
  auto r = run_program(R"(BEGIN { { let $a = 1; } printf("%d\n", $a); exit(); })");
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "stdin:1:40: error: undefined variable $a\n"
                   "BEGIN { { let $a = 1; } printf(\"%d\\n\", $a); exit(); }\n"
                   "                                       ^~\n");
}

TEST(Statements, LenAndHasKey) {
  REQUIRE_BPF();
  auto r = run_program(R"(BEGIN {
      @m[1] = 1; @m[5] = 2; @c[comm] = count(); @t[1, "x"] = 3;
      printf("%d %d %d %d %d %d\n", len(@m), has_key(@m, 5), has_key(@m, 6), len(@c),
             has_key(@c, comm), has_key(@t, (1, "x")));
      delete(@m, 5);
      printf("%d %d %d\n", len(@m), has_key(@m, 5), len(@never_set));
      clear(@m); clear(@c); clear(@t); exit(); }
      END { @never_set[1] = 1; clear(@never_set); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("2 1 0 1 1 1\n1 0 0\n"), std::string::npos) << r.out;
}

TEST(Statements, VariablesKeepTheirIntegerWidth) {
  REQUIRE_BPF();
  // As bpftrace: sizeof() of a variable is the size of what was assigned, and a narrow
  // variable wraps at its width.
  auto r = run_program(R"(BEGIN {
      $x = (int16)-3; $y = (uint8)250; $y += 10; $z = (int8)127; $z++;
      $w = (uint16)1; $w = nsecs > 0 ? 1 << 40 : 0;
      printf("%d %d %d %d %d %d %d\n", sizeof($x), $x, $y, $z, sizeof($z), sizeof($w),
             $w == 1 << 40);
      exit(); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("2 -3 4 -128 1 8 1\n"), std::string::npos) << r.out;
}
