// The syscall dispatcher's shape: a probe on several syscall tracepoints of one kind is one
// raw_tracepoint program with a case table by syscall number; args fields come from the
// syscall's registers. Canned tracepoint layouts (codegen_fixture), so no kernel is needed,
// except for the verifier load at the end.
#include "codegen_fixture.h"

namespace tracelet::testing {
namespace {

constexpr int kProbeReadKernel = 113;

TEST(SyscallDispatch, WildcardIsOneRawTracepointProgramServingEveryTracepoint) {
  auto c = compile_source("tracepoint:syscalls:sys_enter_* { @[probe] = count(); }", false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 1u);
  const auto& p = c->program.programs[0];
  EXPECT_EQ(p.section, "raw_tp/sys_enter");
  EXPECT_EQ(p.provider, "rawtracepoint");
  EXPECT_EQ(p.func, "sys_enter");
  EXPECT_EQ(p.attach_points, 2u); // "Attaching 2 probes...", as with two programs
  // `probe` names each syscall's tracepoint, in the order of the expansion.
  EXPECT_EQ(c->program.probe_names,
            (std::vector<std::string>{"tracepoint:syscalls:sys_enter_openat",
                                      "tracepoint:syscalls:sys_enter_read"}));
  // The case table, by syscall number: read (0) is case 2, openat (257) case 1, others 0.
  size_t table = c->ir.find("@p0_raw_tracepoint_sys_enter_cases = internal");
  ASSERT_NE(table, std::string::npos) << c->ir;
  std::string line = c->ir.substr(table, c->ir.find('\n', table) - table);
  EXPECT_NE(line.find("constant [258 x i16] [i16 2, i16 0, "), std::string::npos) << line;
  EXPECT_NE(line.find(", i16 0, i16 1], section \".rodata\""), std::string::npos) << line;
  // sys_enter's number is ctx[1]: no kernel read is needed to dispatch.
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernel), 0) << c->ir;
}

TEST(SyscallDispatch, ArgsFieldReadsEachSyscallsRegister) {
  // filename is the first argument of open (di, pt_regs offset 112) and the second of openat
  // (si, 104): one read at the case's register offset.
  auto c =
      compile_source("tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat "
                     "{ @[str(args->filename)] = count(); }",
                     false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 1u);
  EXPECT_EQ(c->program.programs[0].section, "raw_tp/sys_enter");
  size_t table = c->ir.find("_filename = internal");
  ASSERT_NE(table, std::string::npos) << c->ir;
  std::string line = c->ir.substr(table, c->ir.find('\n', table) - table);
  EXPECT_NE(line.find("constant [2 x i16] [i16 112, i16 104]"), std::string::npos) << line;
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernel), 1) << c->ir;
}

TEST(SyscallDispatch, SameRegisterEverywhereIsAConstantOffset) {
  // __syscall_nr is the number the program dispatched on: no read.
  auto c =
      compile_source("tracepoint:syscalls:sys_enter_* { @[args.__syscall_nr] = count(); }", false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 1u);
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernel), 0) << c->ir;
}

TEST(SyscallDispatch, SingleTracepointsAndUnsupportedUsesKeepTracepointPrograms) {
  auto single = compile_source("tracepoint:syscalls:sys_enter_openat { @ = count(); }", false);
  ASSERT_TRUE(single);
  ASSERT_EQ(single->program.programs.size(), 1u);
  EXPECT_EQ(single->program.programs[0].section, "tracepoint/syscalls/sys_enter_openat");
  // A for loop's callback sees only the program's context: no dispatch.
  auto loop = compile_source("tracepoint:syscalls:sys_enter_* { @m[1] = 1; "
                             "for ($kv : @m) { @n[probe] = count(); } }",
                             false);
  ASSERT_TRUE(loop);
  EXPECT_EQ(loop->program.programs.size(), 2u);
  // Other categories are not syscalls.
  auto mixed =
      compile_source("tracepoint:syscalls:sys_enter_read, tracepoint:sched:sched_process_exec "
                     "{ @ = count(); }",
                     false);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->program.programs.size(), 2u);
}

// The sections of the programs, in the order they are attached.
std::vector<std::string> sections(const codegen::CompiledProgram& p) {
  std::vector<std::string> out;
  for (const auto& desc : p.programs)
    out.push_back(desc.section);
  return out;
}

TEST(SyscallDispatch, ASyscallTracedByAProgramOfItsOwnLeavesEveryDispatcher) {
  // Probes that share a tracepoint run in program order only if all their programs on it are
  // of one kind: read has a tracepoint program in probe 1, so the wildcard dispatches openat
  // alone... which is no dispatcher at all: both syscalls get tracepoint programs.
  auto c = compile_source("tracepoint:syscalls:sys_enter_read { @a = count(); } "
                          "tracepoint:syscalls:sys_enter_* { @b = count(); }",
                          false);
  ASSERT_TRUE(c);
  EXPECT_EQ(sections(c->program), (std::vector<std::string>{"tracepoint/syscalls/sys_enter_read",
                                                            "tracepoint/syscalls/sys_enter_openat",
                                                            "tracepoint/syscalls/sys_enter_read"}));
}

TEST(SyscallDispatch, ProbesThatAllDispatchKeepTheirDispatchersInProgramOrder) {
  auto c =
      compile_source("tracepoint:syscalls:sys_enter_* { @a = count(); } "
                     "tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_openat "
                     "{ @b = count(); }",
                     false);
  ASSERT_TRUE(c);
  EXPECT_EQ(sections(c->program),
            (std::vector<std::string>{"raw_tp/sys_enter", "raw_tp/sys_enter"}));
  EXPECT_EQ(c->program.programs[0].attach_points, 2u);
  EXPECT_EQ(c->program.programs[1].attach_points, 2u);
}

TEST(SyscallDispatch, AProbeTheDispatcherCannotServeTakesItsSyscallsOutOfOthers) {
  // Probe 2 has a for loop: it keeps tracepoint programs, and so does probe 1 for the
  // syscalls they share (all of them here).
  auto c =
      compile_source("tracepoint:syscalls:sys_enter_* { @a = count(); } "
                     "tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_openat "
                     "{ @m[1] = 1; for ($kv : @m) { @b[probe] = count(); } }",
                     false);
  ASSERT_TRUE(c);
  EXPECT_EQ(sections(c->program),
            (std::vector<std::string>{
                "tracepoint/syscalls/sys_enter_openat", "tracepoint/syscalls/sys_enter_read",
                "tracepoint/syscalls/sys_enter_read", "tracepoint/syscalls/sys_enter_openat"}));
}

TEST(SyscallDispatch, EnterAndExitWildcardsLoadIntoTheVerifier) {
  std::string why = kernel_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(
      R"(tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat,
         tracepoint:syscalls:sys_enter_execve /args.filename != 0/ {
           printf("%s %d %s\n", probe, args.__syscall_nr, str(args.filename)); }
         tracepoint:syscalls:sys_exit_* /args.ret < 0/ { @[probe] = stats(args.ret); })",
      true);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 2u);
  EXPECT_EQ(c->program.programs[0].section, "raw_tp/sys_enter");
  EXPECT_EQ(c->program.programs[1].section, "raw_tp/sys_exit");
  EXPECT_EQ(load_into_kernel(c->program), "");
}

} // namespace
} // namespace tracelet::testing
