// uprobe `args` typed from the binary's DWARF (issue 10, item 6), on real uprobes of
// tl_dwarf_target (built with -g -O0; tests/runtime/workload/tl_dwarf_target.c): integers of
// every size and sign, enums, typedefs, bool, char * through str(), pointers to structs (nested
// structs, arrays, bitfields, anonymous unions and structs), structs passed by value in one or
// two registers or on the stack, parameters past the sixth, casts to the binary's structs;
// located errors; and `-lv`, compared with bpftrace 0.17 where it is installed.
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>

using namespace tracelet::test;

namespace {

std::string target() {
  return TL_DWARF_TARGET;
}

// Runs `script` while the target makes one round of calls; stopped with SIGINT after.
RunResult trace_once(const std::string& script) {
  return trace_while(script, {target(), "calls", "1"});
}

std::string probe(const std::string& func) {
  return "uprobe:" + target() + ":" + func;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DwarfArgs, IntegersOfEverySizeAndSign) {
  REQUIRE_BPF();
  auto r = trace_once(probe("tld_ints") + R"( {
      print((args.a, args.b, args.c, args.d, args.e, args.f));
      printf("%d %d\n", args->a, args->f); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "(-1, 200, -300, 60000, -70000, 4000000000)\n")) << r.out;
  EXPECT_TRUE(has(r.out, "-1 -294967296\n")) << r.out; // %d of a uint32, as bpftrace
}

TEST(DwarfArgs, WideIntegersEnumsTypedefsCharAndBool) {
  REQUIRE_BPF();
  auto r = trace_once(probe("tld_wide") + R"( {
      print((args.a, args.b, args.c, args.col, args.ch, args.ok));
      printf("%c\n", args.ch); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "(-5, 9223372036854775808, 77, 6, 122, 1)\n")) << r.out;
  EXPECT_TRUE(has(r.out, "z\n")) << r.out;
}

TEST(DwarfArgs, StringsAndStructsBehindPointers) {
  REQUIRE_BPF();
  auto r = trace_once(probe("tld_strings") + R"( {
      printf("%s|%d|%s|%s\n", str(args.name), args.node->id, args.node->name,
             str(args->node->label));
      printf("%d %d %d %d\n", args.node->inner.s, args.node->inner.low, args.node->inner.high,
             args.node->inner.wide);
      printf("%d %d %d\n", args.node->values[2], args.node->grid[1][2], args.node->grid[0][1]);
      printf("%x %d %d %d\n", args.node->as_int, args.node->halves[1], args.node->anon_x,
             args.node->anon_y);
      printf("%d %s\n", args.node->next->id, args.node->next->name); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "world|42|first|a label\n")) << r.out;
  EXPECT_TRUE(has(r.out, "-3 5 17 -1000\n")) << r.out; // signed bitfield sign-extended
  EXPECT_TRUE(has(r.out, "30 6 2\n")) << r.out;
  EXPECT_TRUE(has(r.out, "4030201 1027 11 12\n")) << r.out;
  EXPECT_TRUE(has(r.out, "7 second\n")) << r.out;
}

TEST(DwarfArgs, StructsByValueInRegistersAndOnTheStack) {
  REQUIRE_BPF();
  // p: rdi (8 bytes); t: rsi + rdx (16 bytes); big: the stack (24 bytes); last: rcx.
  auto r = trace_once(probe("tld_by_value") + R"( {
      printf("%d %d %d %d %d %d %d %d\n", args.p.x, args.p.y, args.t.a, args.t.b, args.big.a,
             args.big.b, args.big.c, args.last);
      print(args.p); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "1 2 300 400 5000 6000 7000 8\n")) << r.out;
  EXPECT_TRUE(has(r.out, "{ .x = 1, .y = 2 }\n")) << r.out;
}

TEST(DwarfArgs, ParametersPastTheSixthAndAfterAFloat) {
  REQUIRE_BPF();
  auto r =
      trace_once(probe("tld_many") + R"( { printf("%d %d %d\n", args.a6, args.a7, args.a8); } )" +
                 probe("tld_after_float") + R"( { printf("x=%d sign=%d\n", args.x, args.sign); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "6 7 -8\n")) << r.out;
  // d is in xmm0, so x is in rdi (bpftrace 0.17 reads rsi here).
  EXPECT_TRUE(has(r.out, "x=11 sign=-2\n")) << r.out;
}

TEST(DwarfArgs, CastsToStructsOfTheBinarysDebugInfo) {
  REQUIRE_BPF();
  // struct tld_only_cast is in no parameter and not in the kernel's BTF.
  auto r = trace_once(probe("tld_opaque") + R"( {
      $c = (struct tld_only_cast *)arg0;
      printf("%x %s %d\n", $c->magic, $c->tag, **args.pp);
      printf("%s\n", ((struct tld_only_cast *)args.p)->tag); })");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "feedface castme 9\n")) << r.out;
  EXPECT_TRUE(has(r.out, "castme\n")) << r.out;
}

TEST(DwarfArgs, UnknownParameterListsTheKnownOnes) {
  std::string script = probe("tld_strings") + " { print(args.nope); }";
  auto r = run_tracelet({"-e", script});
  EXPECT_EQ(r.exit_status, 1);
  size_t col = script.find("args.nope") + 1;
  EXPECT_EQ(r.err, "stdin:1:" + std::to_string(col) + ": error: function tld_strings of " +
                       target() + " has no parameter 'nope'; its parameters are: name, node\n" +
                       script + "\n" + std::string(col - 1, ' ') + "^~~~~~~~~\n");
}

TEST(DwarfArgs, FunctionWithoutDebugInfo) {
  // _init comes from the C runtime's crti.o, which has no DWARF.
  std::string script = probe("_init") + " { print(args.x); }";
  auto r = run_tracelet({"-e", script});
  EXPECT_EQ(r.exit_status, 1);
  size_t col = script.find("args") + 1;
  EXPECT_EQ(r.err, "stdin:1:" + std::to_string(col) + ": error: args: the debug info of " +
                       target() + " does not describe function _init\n" + script + "\n" +
                       std::string(col - 1, ' ') + "^~~~\n");
}

TEST(DwarfArgs, BinaryWithoutDebugInfo) {
  std::string bin = TL_NODWARF_TARGET;
  std::string script = "uprobe:" + bin + ":tld_ints { print(args.a); }";
  auto r = run_tracelet({"-e", script});
  EXPECT_EQ(r.exit_status, 1);
  size_t col = script.find("args") + 1;
  EXPECT_EQ(r.err, "stdin:1:" + std::to_string(col) + ": error: args: " + bin +
                       " has no DWARF debug info (build it with -g, or install its -dbg or "
                       "-dbgsym package)\n" +
                       script + "\n" + std::string(col - 1, ' ') + "^~~~\n");
}

TEST(DwarfArgs, FloatingPointParameterSaysWhy) {
  std::string script = probe("tld_after_float") + " { print(args.d); }";
  auto r = run_tracelet({"-e", script});
  EXPECT_EQ(r.exit_status, 1);
  size_t col = script.find("args") + 1;
  EXPECT_EQ(r.err, "stdin:1:" + std::to_string(col) +
                       ": error: parameter 'd' of function tld_after_float of " + target() +
                       " cannot be read: it is a floating-point value (or a struct holding one, "
                       "or a 128-bit integer), which tracelet has no type for\n" +
                       script + "\n" + std::string(col - 1, ' ') + "^~~~~~\n");
}

TEST(DwarfArgs, UretprobeHasNoArgs) {
  std::string script = "uretprobe:" + target() + ":tld_ints { print(args.a); }";
  auto r = run_tracelet({"-e", script});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(has(r.err, "error: args is not available in uretprobe probes")) << r.err;
}

TEST(DwarfArgs, UnknownStructInACastNamesTheBinary) {
  std::string script = probe("tld_opaque") + " { print(((struct tld_nothing *)arg0)->x); }";
  auto r = run_tracelet({"-e", script});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(has(r.err, "error: unknown type 'struct tld_nothing' (neither the kernel's BTF nor "
                         "the debug info of " +
                             target() + " defines it)\n"))
      << r.err;
}

TEST(DwarfListing, ParametersAsBpftraceListsThem) {
  auto r = run_tracelet({"-lv", probe("tld_*")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(has(r.out, probe("tld_strings") + "\n    const char* name\n"
                                                "    struct tld_node* node\n"))
      << r.out;
  EXPECT_TRUE(has(r.out, probe("tld_wide") + "\n    int64_t a\n    uint64_t b\n"
                                             "    tld_count_t c\n    enum tld_color col\n"
                                             "    char ch\n    _Bool ok\n"))
      << r.out;
  EXPECT_TRUE(
      has(r.out, probe("tld_none") + "\n" + probe("tld_opaque") + "\n    void* p\n    int** pp\n"))
      << r.out;
  // Without -v, names only.
  auto plain = run_tracelet({"-l", probe("tld_strings")});
  EXPECT_EQ(plain.out, probe("tld_strings") + "\n");
}

TEST(DwarfListing, BinaryWithoutDebugInfoIsNoted) {
  std::string bin = TL_NODWARF_TARGET;
  auto r = run_tracelet({"-lv", "uprobe:" + bin + ":tld_ints"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "uprobe:" + bin + ":tld_ints\n");
  EXPECT_EQ(r.err, "tracelet: no DWARF debug info in " + bin + ": parameters are not listed\n");
}

TEST(DwarfListing, SameAsBpftrace) {
  std::string bpftrace;
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"})
    if (std::filesystem::exists(std::string(dir) + "/bpftrace"))
      bpftrace = std::string(dir) + "/bpftrace";
  if (const char* env = std::getenv("TRACELET_REFERENCE_BPFTRACE"); env && *env) bpftrace = env;
  if (bpftrace.empty()) GTEST_SKIP() << "bpftrace is not installed: no reference listing";
  std::string reference;
  ASSERT_EQ(run_command({bpftrace, "-lv", probe("tld_*")}, &reference), 0);
  auto r = run_tracelet({"-lv", probe("tld_*")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, reference);
}

} // namespace
