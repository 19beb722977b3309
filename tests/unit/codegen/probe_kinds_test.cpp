// Probe kinds beyond tracepoints: the section of each program, how arg0..argN and retval read
// the context (pt_regs for kprobe/uprobe, a u64 array for raw tracepoints), and their load
// into the verifier — including the kinds this kernel cannot attach (kprobe, fentry).
#include "codegen_fixture.h"
#include "runtime/kernel/kernel_features.h"

#include <cstring>

namespace tracelet::testing {
namespace {

// The IR of the function in `section`, from its `define` line to its closing brace.
std::string function_ir(const std::string& ir, const std::string& section) {
  size_t at = ir.find("section \"" + section + "\"");
  if (at == std::string::npos) return "";
  size_t begin = ir.rfind("define ", at);
  size_t end = ir.find("\n}\n", at);
  return ir.substr(begin, end - begin);
}

TEST(ProbeKindsIr, KprobeArgumentsComeFromPtRegsInAbiOrder) {
  auto c = compile_source(R"(kprobe:do_nanosleep { @[arg0, arg1, arg2, arg3, arg4, arg5] =
                                                       count(); })",
                          false);
  ASSERT_TRUE(c);
  std::string fn = function_ir(c->ir, "kprobe/do_nanosleep");
  ASSERT_NE(fn, "") << c->ir;
  // di, si, dx, cx, r8, r9 in struct pt_regs.
  EXPECT_EQ(ctx_offsets(fn), (std::vector<int>{112, 104, 96, 88, 72, 64})) << fn;
  EXPECT_EQ(c->program.programs[0].section, "kprobe/do_nanosleep");
  EXPECT_EQ(c->program.programs[0].func, "do_nanosleep");
}

TEST(ProbeKindsIr, RetvalIsRaxAndFuncIsAConstant) {
  auto c = compile_source(R"(kretprobe:do_nanosleep { @[func] = sum(retval); })", false);
  ASSERT_TRUE(c);
  std::string fn = function_ir(c->ir, "kretprobe/do_nanosleep");
  ASSERT_NE(fn, "") << c->ir;
  EXPECT_EQ(ctx_offsets(fn), (std::vector<int>{80})) << fn;
  // The key is the function's name, stored as constants: "do_nanos" and "leep" as
  // little-endian integers.
  uint64_t head = 0, tail = 0;
  std::memcpy(&head, "do_nanos", 8);
  std::memcpy(&tail, "leep", 4);
  EXPECT_NE(fn.find("store i64 " + std::to_string(head)), std::string::npos) << fn;
  EXPECT_NE(fn.find("store i64 " + std::to_string(tail)), std::string::npos) << fn;
}

TEST(ProbeKindsIr, RawTracepointArgumentsAreU64Slots) {
  auto c = compile_source(R"(rt:sys_enter { @[arg1] = count(); })", false);
  ASSERT_TRUE(c);
  std::string fn = function_ir(c->ir, "raw_tp/sys_enter");
  ASSERT_NE(fn, "") << c->ir;
  EXPECT_EQ(ctx_offsets(fn), (std::vector<int>{8})) << fn;
}

TEST(ProbeKindsIr, SectionsOfEveryKind) {
  auto c = compile_source(R"(fentry:do_nanosleep, fexit:do_nanosleep, profile:hz:99,
                             software:cpu-clock, hardware:cycles:1000 { @ = count(); })",
                          false);
  ASSERT_TRUE(c);
  std::vector<std::string> sections;
  for (const auto& p : c->program.programs)
    sections.push_back(p.section);
  EXPECT_EQ(sections, (std::vector<std::string>{"fentry/do_nanosleep", "fexit/do_nanosleep",
                                                "perf_event", "perf_event", "perf_event"}));
}

TEST(ProbeKindsLoad, KprobeKretprobeUprobeRawTracepointAndPerfEventsPassTheVerifier) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(R"(kprobe:do_nanosleep { @k[arg0, func] = count(); }
      kretprobe:do_nanosleep { @r = sum(retval); }
      uprobe:/proc/self/exe:main { @u[arg0, arg1] = count(); }
      uretprobe:/proc/self/exe:main { @ur[func] = max(retval); }
      rawtracepoint:sys_enter { @n[arg1] = count(); }
      profile:hz:99, software:page-faults:10 { @p = count(); })",
                          true);
  ASSERT_TRUE(c);
  EXPECT_EQ(load_into_kernel(c->program), "");
}

TEST(ProbeKindsLoad, FentryIsRefusedWhereTheKernelRefusesFentry) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(R"(fentry:do_nanosleep { @[func] = count(); })", true);
  ASSERT_TRUE(c);
  std::string log = load_into_kernel(c->program);
  if (runtime::kernel_loads_fentry())
    EXPECT_EQ(log, "");
  else
    EXPECT_NE(log, "") << "this kernel refuses fentry, yet the load succeeded";
}

} // namespace
} // namespace tracelet::testing

namespace tracelet::testing {
namespace {

// The body of the program named `name` in `ir` ("" if absent).
std::string function_body(const std::string& ir, const std::string& name) {
  size_t start = ir.find("@" + name + "(");
  if (start == std::string::npos) return "";
  return ir.substr(start, ir.find("\n}\n", start) - start);
}

// fentry/fexit read their typed arguments straight from the u64 context array: 8-byte loads
// at 8 * slot (a narrower parameter truncated after the load), retval in the slot after them.
TEST(ProbeKinds, FentryArgsAndFexitRetvalAreWholeSlotsOfTheContext) {
  auto c = compile_source("fentry:vfs_read { @[args.count] = count(); }\n"
                          "fexit:vfs_read { @r = hist(retval); }\n"
                          "fexit:do_nanosleep { @m[args.mode] = sum(retval); }",
                          false);
  ASSERT_TRUE(c);
  std::string entry = function_body(c->ir, "p0_fentry_vfs_read");
  std::string exit = function_body(c->ir, "p1_fexit_vfs_read");
  std::string nanosleep = function_body(c->ir, "p2_fexit_do_nanosleep");
  ASSERT_FALSE(entry.empty() || exit.empty() || nanosleep.empty()) << c->ir;
  EXPECT_NE(entry.find("section \"fentry/vfs_read\""), std::string::npos);
  EXPECT_NE(entry.find("%ctx, i64 16"), std::string::npos) << entry;
  EXPECT_NE(exit.find("section \"fexit/vfs_read\""), std::string::npos);
  EXPECT_NE(exit.find("%ctx, i64 32"), std::string::npos) << exit;
  EXPECT_NE(nanosleep.find("%ctx, i64 8"), std::string::npos) << nanosleep;
  EXPECT_NE(nanosleep.find("%ctx, i64 16"), std::string::npos) << nanosleep;
  EXPECT_NE(nanosleep.find("load i64"), std::string::npos) << nanosleep;
  EXPECT_EQ(nanosleep.find("load i32"), std::string::npos) << "narrow ctx load:\n" << nanosleep;
}

} // namespace
} // namespace tracelet::testing
