// Every program here must compile and pass the kernel verifier (loaded with libbpf, attached
// nowhere). A rejection prints the verifier log.
#include "codegen_fixture.h"

namespace tracelet::testing {
namespace {

struct Case {
  const char* name;
  const char* source;
};

const Case kCases[] = {
    {"printf_ints", R"(BEGIN { printf("%d %u %x\n", pid, tid, 1 + 2 * 3); })"},
    {"printf_strings", R"(BEGIN { printf("%s %s %d\n", comm, "lit", -5); })"},
    {"printf_no_args", R"(BEGIN { printf("hello\n"); exit(); })"},
    {"printf_many", R"(BEGIN { printf("%d %d %d %d %d %d %s %s %s\n", pid, tid, uid, gid, cpu,
                                        nsecs, comm, comm, "x"); })"},
    {"builtins", R"(BEGIN { printf("%d %d %d %d %d %d %s\n", pid, uid, gid, cpu, nsecs,
                                     elapsed, probe); })"},
    {"openat_str", R"(tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm,
                                                              str(args.filename)); })"},
    {"openat_arrow_fields", R"(t:syscalls:sys_enter_openat { printf("%d %d %d\n",
                                  args->dfd, args->flags, args->mode); })"},
    {"openat_str_len", R"(tracepoint:syscalls:sys_enter_openat { printf("%s\n",
                                                              str(args.filename, 8)); })"},
    {"openat_str_map_key", R"(tracepoint:syscalls:sys_enter_openat {
                                 @opens[str(args.filename)] = count(); })"},
    {"exec_data_loc", R"(tracepoint:sched:sched_process_exec { printf("%s %d\n",
                                                       args.filename, args.pid); })"},
    {"exec_data_loc_key", R"(tracepoint:sched:sched_process_exec {
                                 @[args.filename] = count(); })"},
    {"count_keyless", R"(tracepoint:syscalls:sys_enter_read { @ = count(); })"},
    {"count_keyed", R"(tracepoint:syscalls:sys_enter_read { @reads[comm] = count(); })"},
    {"sum_avg_min_max_stats", R"(tracepoint:syscalls:sys_enter_read {
         @s = sum(args.count); @a = avg(args.count); @mi = min(args.count);
         @ma = max(args.count); @st = stats(args.count);
         @ks[pid] = sum(args.count); @ka[pid] = avg(args.count); @kmi[pid] = min(args.count);
         @kma[pid] = max(args.count); @kst[pid] = stats(args.count); })"},
    {"hist_lhist", R"(tracepoint:syscalls:sys_enter_read {
         @h = hist(args.count); @l = lhist(args.count, 0, 1000, 100);
         @kh[comm] = hist(args.count); @kl[pid, comm] = lhist(args.count, 0, 100, 10); })"},
    {"multi_key", R"(tracepoint:syscalls:sys_enter_read { @m[pid, comm, args.fd] = count();
                                                          @v[tid, "x"] = args.count; })"},
    {"map_values", R"(BEGIN { @x = 1; @s = "str"; @c = comm; @t = (1, "two", comm);
                              @x++; @x += 5; @y[1] = @x * 2; printf("%d\n", @y[1]); })"},
    {"if_else", R"(tracepoint:syscalls:sys_enter_read {
         if (args.count > 100) { @big = count(); } else if (args.count == 0) { @zero = count(); }
         else { @small = count(); } })"},
    {"predicate", R"(tracepoint:syscalls:sys_enter_read /args.count > 10 && pid != 1/
                     { @[comm] = count(); })"},
    {"while_loop", R"(BEGIN { $i = 0; $s = 0; while ($i < 20) { $s += $i; $i++;
                              if ($s > 50) { break; } } printf("%d\n", $s); })"},
    {"unroll", R"(BEGIN { $i = 0; unroll (5) { $i = $i + 2; @u[$i] = $i; }
                          printf("%d\n", $i); })"},
    {"ternary", R"(BEGIN { $x = pid > 100 ? 1 : 2; $s = pid > 1 ? "big" : "small";
                           printf("%d %s\n", $x, $s); })"},
    {"for_map", R"(BEGIN { @m[1] = 2; @s["a", 1] = "x"; $n = 0; $str = "s";
                           for ($kv : @m) { $n += $kv.1; if ($kv.0 == 5) { break; }
                                            printf("%d %d %s\n", $kv.0, $kv.1, $str); }
                           for ($e : @s) { @copy[$e.0.0, $e.0.1] = $e.1; $str = $e.1; }
                           printf("%d %s\n", $n, $str); })"},
    {"for_range", R"(BEGIN { $t = 0; for $i : 0..10 { if ($i == 3) { continue; }
                               for $j : 0..$i { $t += $j; if ($t > 100) { return; } } }
                             for ($k : 1..$1 + 2) { @r[$k] = $k; exit(); } printf("%d\n", $t); })"},
    {"for_in_tracepoint", R"(tracepoint:syscalls:sys_enter_openat { @k[1] = 1;
         for ($kv : @k) { printf("%s %d %s\n", comm, args.dfd, str(args.filename));
                          @st[kstack] = count(); } })"},
    {"let_and_scopes", R"(BEGIN { let $a; let $b: int16 = 3; let $c: string;
         { let $d = 1; $a = $d; } if ($b > 1) { let $d = "x"; $c = $d; }
         printf("%d %d %s %d\n", $a, $b, $c, sizeof($b)); })"},
    {"len_has_key", R"(BEGIN { @m[1] = 1; @c[comm] = count(); @t[1, "x"] = 2;
         printf("%d %d %d %d\n", len(@m), has_key(@m, 1), len(@c), has_key(@t, (1, "x")));
         if (has_key(@c, comm)) { delete(@c, comm); } })"},
    {"narrow_variables", R"(BEGIN { $x = (int16)-3; $y = (uint8)200; $x++; $y += 100;
         $z = (int8)1; $z = nsecs; printf("%d %d %d %d\n", $x, $y, $z, sizeof($x)); })"},
    {"true_false", R"(BEGIN { $t = true; @f = false; if (true && !false) { @m[true] = $t; } })"},
    {"self_assigned_map", R"(BEGIN { $i = 0; while ($i < 12) { @m[$i % 4] = @m[$i % 4] + $i;
                                                             $i++; } })"},
    {"variables", R"(BEGIN { $a = 5; $b = $a * 3 - 1; $c = comm; $t = (1, comm);
                             printf("%d %s %s\n", $b, $c, $t.1); @v = $t; })"},
    {"string_compare", R"(tracepoint:syscalls:sys_enter_openat
                          /comm == "bash" || str(args.filename) != comm/ { @ = count(); })"},
    {"wildcards", R"(tracepoint:syscalls:sys_enter_open* { @[probe] = count(); })"},
    {"probe_builtin", R"(tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_openat
                         { printf("%s\n", probe); @p[probe] = count(); })"},
    {"map_functions", R"(BEGIN { @a[1] = 2; @b = count(); @c[comm] = 3;
                                  delete(@a[1]); delete(@c, comm); print(@b); print(@a, 5);
                                  clear(@c); zero(@b); print(42); print((1, "x"));
                                  print(comm); exit(); }
                         END { print(@b); })"},
    {"interval", R"(interval:ms:100 { @ticks = count(); printf("%d\n", elapsed); })"},
    {"return_in_probe", R"(BEGIN { if (pid > 0) { return; } printf("never\n"); })"},
    {"unsigned_signed_ops", R"(BEGIN { $a = -10; $b = $a / 3; $c = $a % 4; $d = $a >> 1;
                                       $e = 7 << 3; $f = ~$e; $g = !$a;
                                       printf("%d %d %d %d %d %d\n", $b, $c, $d, $e, $f, $g); })"},
    // Many strings and keys in one probe: only fits in 512 bytes of stack because
    // temporaries of different statements share slots.
    {"stack_pressure", R"(tracepoint:syscalls:sys_enter_openat {
         $a = str(args.filename); $b = comm; $c = str(args.filename, 10);
         if ($a == $c || $b == "bash") { printf("%s %s %s\n", $a, $b, $c); }
         @x[$a, $b] = count(); @y[$c] = hist(args.flags); @z[comm, pid, $a] = ($a, $b, $c);
         printf("%s %s\n", str(args.filename), $a); printf("%s\n", @z[comm, pid, $a].0); })"},
    {"positional_params",
     R"(BEGIN { printf("%d %s\n", $1 + $#, str($2)); unroll ($1) { @n++; } })"},
    {"sizeof_and_casts", R"(BEGIN { printf("%d %d %d\n", sizeof(int32), (uint16)(int8)-1,
                                           (int8)(uint8)200); })"},
    {"pointer_reads", R"(tracepoint:syscalls:sys_enter_openat {
         printf("%c %c %d\n", *args.filename, args.filename[1], args.filename[args.flags & 3]); })"},
    {"tracepoint_array_field", R"(tracepoint:raw_syscalls:sys_enter /args->id == 0/ {
         @[args->args[0]] = sum(args.args[2]); })"},
};

class VerifierLoad : public ::testing::TestWithParam<Case> {};

TEST_P(VerifierLoad, PassesTheVerifier) {
  std::string reason = kernel_unavailable_reason();
  if (!reason.empty()) GTEST_SKIP() << reason;
  const Case& c = GetParam();
  auto compiled = compile_source(c.source, /*real_kernel=*/true);
  ASSERT_TRUE(compiled);
  ASSERT_FALSE(compiled->program.elf.empty());
  std::string error = load_into_kernel(compiled->program);
  EXPECT_EQ(error, "") << c.source << "\n--- IR:\n" << compiled->ir;
}

INSTANTIATE_TEST_SUITE_P(Programs, VerifierLoad, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

} // namespace
} // namespace tracelet::testing
