// Properties of the generated IR and of CompiledProgram, on canned tracepoint layouts (no
// kernel needed).
#include "codegen_fixture.h"

#include "ast/diagnostics.h"
#include <linux/bpf.h>

#include <bpf/libbpf.h>

namespace tracelet::testing {
namespace {

constexpr int kLookup = 1, kUpdate = 2, kDelete = 3, kPerfEventOutput = 25;
constexpr int kProbeReadUserStr = 114, kProbeReadKernelStr = 115;

const codegen::MapDesc* find_map(const codegen::CompiledProgram& p, const std::string& name) {
  for (const auto& m : p.maps)
    if (m.name == name) return &m;
  return nullptr;
}

TEST(IrShape, KeylessCountIsPerCpuArrayUpdatedInPlace) {
  auto c = compile_source("tracepoint:syscalls:sys_enter_read { @ = count(); }", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kLookup), 1);
  EXPECT_EQ(count_helper_calls(c->ir, kUpdate), 0) << c->ir;
  const auto* m = find_map(c->program, "@");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->elf_name, "AT_");
  EXPECT_EQ(m->bpf_type, BPF_MAP_TYPE_PERCPU_ARRAY);
  EXPECT_EQ(m->max_entries, 1u);
  EXPECT_EQ(m->key_size, 4u);
  EXPECT_EQ(m->value_size, 8u);
  EXPECT_TRUE(m->per_cpu);
}

TEST(IrShape, KeyedCountLooksUpThenUpdatesOnlyWhenMissing) {
  auto c = compile_source("tracepoint:syscalls:sys_enter_read { @reads[comm] = count(); }", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kLookup), 1);
  EXPECT_EQ(count_helper_calls(c->ir, kUpdate), 1);
  const auto* m = find_map(c->program, "@reads");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->elf_name, "AT_reads");
  EXPECT_EQ(m->bpf_type, BPF_MAP_TYPE_PERCPU_HASH);
  EXPECT_EQ(m->key_size, 16u);
  EXPECT_EQ(m->max_entries, 4096u);
  EXPECT_EQ(m->key, ast::Type::string(16));
  EXPECT_EQ(m->value.kind, ast::TypeKind::Count);
}

TEST(IrShape, AggregationStorageMatchesTheTypesContract) {
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_read {
      @mi = min(args.count); @a[pid] = avg(args.count); @h[comm] = hist(args.count);
      @l = lhist(args.count, 0, 100, 10); @v = args.fd; @t[1, "x"] = (comm, 2); })",
                          false);
  ASSERT_TRUE(c);
  const auto* mi = find_map(c->program, "@mi");
  ASSERT_TRUE(mi);
  EXPECT_EQ(mi->bpf_type, BPF_MAP_TYPE_PERCPU_ARRAY);
  EXPECT_EQ(mi->value_size, 16u); // { i64 value; u64 is_set; }
  const auto* a = find_map(c->program, "@a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->bpf_type, BPF_MAP_TYPE_PERCPU_HASH);
  EXPECT_EQ(a->key_size, 8u); // pid widened to 64 bits
  EXPECT_EQ(a->value_size, 16u);
  const auto* h = find_map(c->program, "@h");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->bpf_type, BPF_MAP_TYPE_PERCPU_HASH);
  EXPECT_EQ(h->key_size, 16u + 8u); // comm padded to 8, then the bucket
  EXPECT_EQ(h->value_size, 8u);
  const auto* l = find_map(c->program, "@l");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->key_size, 8u); // keyless: the bucket only
  EXPECT_EQ(l->value.lhist_step, 10);
  const auto* v = find_map(c->program, "@v");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->bpf_type, BPF_MAP_TYPE_HASH);
  EXPECT_EQ(v->key_size, 8u); // keyless hash: a u64 0
  EXPECT_FALSE(v->per_cpu);
  const auto* t = find_map(c->program, "@t");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->key.kind, ast::TypeKind::Tuple);
  EXPECT_EQ(t->key_size, t->key.size());
  EXPECT_EQ(t->value_size, t->value.size());
}

TEST(IrShape, SectionsAndLicense) {
  auto c = compile_source(R"(BEGIN { @b = 1; } END { @e = 1; } interval:ms:10 { @i = 1; }
                             tracepoint:syscalls:sys_enter_openat { @o = 1; })",
                          false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 4u);
  EXPECT_EQ(c->program.programs[0].section, "raw_tp");
  EXPECT_EQ(c->program.programs[0].provider, "BEGIN");
  EXPECT_EQ(c->program.programs[1].section, "raw_tp");
  EXPECT_EQ(c->program.programs[1].provider, "END");
  EXPECT_EQ(c->program.programs[2].section, "perf_event");
  EXPECT_EQ(c->program.programs[2].freq, 10u);
  EXPECT_EQ(c->program.programs[3].section, "tracepoint/syscalls/sys_enter_openat");
  for (const auto& p : c->program.programs)
    EXPECT_NE(c->ir.find("@" + p.func_name + "("), std::string::npos) << p.func_name;
  EXPECT_NE(c->ir.find("section \"license\""), std::string::npos);
  EXPECT_NE(c->ir.find("c\"GPL\\00\""), std::string::npos);
  EXPECT_NE(c->ir.find("section \"tracepoint/syscalls/sys_enter_openat\""), std::string::npos);
}

// (Without the syscall dispatcher, as tracepoints of other categories always are.)
TEST(IrShape, WildcardsGiveOneProgramPerTracepointAndProbeIndexes) {
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_* { printf("%s\n", probe); })", false, 0,
                          /*syscall_dispatch=*/false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.programs.size(), 2u);
  EXPECT_EQ(c->program.programs[0].func, "sys_enter_openat");
  EXPECT_EQ(c->program.programs[1].func, "sys_enter_read");
  ASSERT_EQ(c->program.probe_names.size(), 2u);
  EXPECT_EQ(c->program.probe_names[0], "tracepoint:syscalls:sys_enter_openat");
  EXPECT_EQ(c->program.probe_names[1], "tracepoint:syscalls:sys_enter_read");
  // Each program writes its own index as a constant (the header word is the other store).
  ASSERT_EQ(c->program.printfs.size(), 2u);
  EXPECT_EQ(c->program.printfs[0].args, ast::Type::tuple({ast::Type::probe()}));
}

TEST(IrShape, PrintfGoesThroughOnePerfEventOutputOnTheCurrentCpu) {
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_openat {
                               printf("%s %s %d\n", comm, str(args.filename), pid); })",
                          false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 1);
  EXPECT_NE(c->ir.find("i64 4294967295"), std::string::npos) << "BPF_F_CURRENT_CPU";
  // str() of a syscalls pointer reads user memory, straight into the event record.
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadUserStr), 1);
  EXPECT_EQ(c->ir.find("llvm.memcpy"), std::string::npos) << "needless copy:\n" << c->ir;
  ASSERT_EQ(c->program.printfs.size(), 1u);
  const auto& p = c->program.printfs[0];
  EXPECT_EQ(p.format, "%s %s %d\n");
  EXPECT_EQ(p.args, ast::Type::tuple({ast::Type::string(16), ast::Type::string(64),
                                      ast::Type::integer(4, false)}));
  EXPECT_EQ(c->program.event_map, "tl_events");
}

TEST(IrShape, DataLocStringsAreReadRelativeToTheRecord) {
  auto c = compile_source(
      R"(tracepoint:sched:sched_process_exec { printf("%s\n", args.filename); })", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernelStr), 1);
  EXPECT_NE(c->ir.find("and i32"), std::string::npos) << c->ir;
  EXPECT_NE(c->ir.find("65535"), std::string::npos) << c->ir;
}

TEST(IrShape, ElapsedUsesTheStartTimeMap) {
  auto c = compile_source(R"(BEGIN { printf("%d\n", elapsed); })", false);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->program.start_time_map.empty());
  EXPECT_NE(c->ir.find("@" + c->program.start_time_map), std::string::npos);
  auto d = compile_source(R"(BEGIN { printf("%d\n", nsecs); })", false);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->program.start_time_map.empty());
}

TEST(IrShape, MapActionsAndPrintValues) {
  auto c = compile_source(R"(BEGIN { @a[1] = count(); @b = 2; print(@a, 10, 2); clear(@b);
                                     zero(@a); print(5); delete(@b); exit(); })",
                          false);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.map_actions.size(), 3u);
  const auto& maps = c->program.maps;
  EXPECT_EQ(maps[c->program.map_actions[0].map].name, "@a");
  EXPECT_EQ(c->program.map_actions[0].top, 10u);
  EXPECT_EQ(c->program.map_actions[0].div, 2u);
  EXPECT_EQ(maps[c->program.map_actions[1].map].name, "@b");
  EXPECT_EQ(maps[c->program.map_actions[2].map].name, "@a");
  ASSERT_EQ(c->program.print_values.size(), 1u);
  EXPECT_EQ(c->program.print_values[0].value, ast::Type::i64());
  EXPECT_EQ(count_helper_calls(c->ir, kDelete), 1);
  // Five events: print, clear, zero, print(5), exit.
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 5);
}

TEST(IrShape, UnrollEmitsTheBodyNTimes) {
  auto c = compile_source(R"(BEGIN { unroll (3) { printf("x\n"); } })", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 3);
  EXPECT_EQ(c->program.printfs.size(), 3u);
}

TEST(IrShape, PredicateReturnsEarly) {
  auto c = compile_source(
      R"(tracepoint:syscalls:sys_enter_read /args.count > 100/ { @ = count(); })", false);
  ASSERT_TRUE(c);
  EXPECT_NE(c->ir.find("icmp ugt i64"), std::string::npos) << c->ir;
  EXPECT_NE(c->ir.find("ret i64 0"), std::string::npos);
}

TEST(IrShape, ElfDeclaresEveryMapWithItsBtfSizes) {
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_read { @[comm] = hist(args.count);
                                 @n = count(); @v[pid, comm] = 1; printf("%d\n", pid); })",
                          false);
  ASSERT_TRUE(c);
  const auto& elf = c->program.elf;
  ASSERT_GT(elf.size(), 64u);
  EXPECT_EQ(elf[0], 0x7f);
  EXPECT_EQ(elf[18], 247) << "e_machine EM_BPF";
  bpf_object* obj = bpf_object__open_mem(elf.data(), elf.size(), nullptr);
  ASSERT_NE(obj, nullptr);
  for (const auto& m : c->program.maps) {
    bpf_map* map = bpf_object__find_map_by_name(obj, m.elf_name.c_str());
    ASSERT_NE(map, nullptr) << m.elf_name;
    EXPECT_EQ(bpf_map__type(map), m.bpf_type) << m.name;
    EXPECT_EQ(bpf_map__key_size(map), m.key_size) << m.name;
    EXPECT_EQ(bpf_map__value_size(map), m.value_size) << m.name;
    EXPECT_EQ(bpf_map__max_entries(map), m.max_entries) << m.name;
  }
  bpf_map* events = bpf_object__find_map_by_name(obj, c->program.event_map.c_str());
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(bpf_map__type(events), BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  for (const auto& p : c->program.programs) {
    bpf_program* prog = bpf_object__find_program_by_name(obj, p.func_name.c_str());
    ASSERT_NE(prog, nullptr) << p.func_name;
    EXPECT_EQ(std::string(bpf_program__section_name(prog)), p.section);
  }
  bpf_object__close(obj);
}

TEST(IrShape, IrIsPrintedOnlyWhenAsked) {
  auto c = compile_source("BEGIN { @ = count(); }", false);
  ASSERT_TRUE(c);
  EXPECT_NE(c->ir.find("define"), std::string::npos);
}

} // namespace
} // namespace tracelet::testing

namespace tracelet::testing {
namespace {

TEST(IrShape, StringsBoundForKeysAreZeroFilledBeforeTheRead) {
  // probe_read_str writes only up to the NUL; stale bytes after it would make equal strings
  // distinct keys. The variable is cleared, then read into.
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_openat {
                               $s = str(args.filename); @[$s] = count(); })",
                          false);
  ASSERT_TRUE(c);
  size_t memset_at = c->ir.find("call void @llvm.memset");
  size_t read_at = c->ir.find("inttoptr (i64 114 to");
  ASSERT_NE(memset_at, std::string::npos) << c->ir;
  ASSERT_NE(read_at, std::string::npos);
  EXPECT_LT(memset_at, read_at);
}

TEST(IrShape, PrintfStringsAreNotZeroFilled) {
  // In an event only the bytes up to the NUL are read: clearing the rest would be waste.
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_openat {
                               printf("%s\n", str(args.filename)); })",
                          false);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ir.find("llvm.memset"), std::string::npos) << c->ir;
}

} // namespace
} // namespace tracelet::testing

namespace tracelet::testing {
namespace {

TEST(IrShape, PlainAssignmentIsOneUpdateAndIncrementOneLookupPlusUpdate) {
  auto set = compile_source("BEGIN { @x[pid] = 1; }", false);
  ASSERT_TRUE(set);
  EXPECT_EQ(count_helper_calls(set->ir, kUpdate), 1);
  EXPECT_EQ(count_helper_calls(set->ir, kLookup), 0);
  auto inc = compile_source("BEGIN { @x[pid]++; }", false);
  ASSERT_TRUE(inc);
  EXPECT_EQ(count_helper_calls(inc->ir, kUpdate), 1);
  EXPECT_EQ(count_helper_calls(inc->ir, kLookup), 1);
}

TEST(IrShape, HistIsOneLookupAndAvoidsCtlz) {
  auto c = compile_source("BEGIN { @h = hist(nsecs); }", false);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kLookup), 1);
  EXPECT_EQ(count_helper_calls(c->ir, kUpdate), 1); // only when the bucket is new
  EXPECT_EQ(c->ir.find("llvm.ctlz"), std::string::npos) << "the BPF backend cannot lower ctlz";
}

} // namespace
} // namespace tracelet::testing

namespace tracelet::testing {
namespace {

// opensnoop.bt: one probe on sys_enter_open and sys_enter_openat reads args->filename at its
// offset in each tracepoint's own record (16 and 24), not the first record's in both.
TEST(IrShape, ArgsFieldsOfAProbeOnSeveralTracepointsUseEachOnesOffset) {
  auto c =
      compile_source("tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat "
                     "{ @[str(args->filename)] = count(); }",
                     false, 0, /*syscall_dispatch=*/false);
  ASSERT_TRUE(c);
  auto body = [&](const std::string& name) {
    size_t start = c->ir.find("@" + name + "(");
    if (start == std::string::npos) return std::string();
    return c->ir.substr(start, c->ir.find("\n}\n", start) - start);
  };
  std::string open = body("p0_tracepoint_syscalls_sys_enter_open");
  std::string openat = body("p1_tracepoint_syscalls_sys_enter_openat");
  ASSERT_FALSE(open.empty()) << c->ir;
  ASSERT_FALSE(openat.empty()) << c->ir;
  EXPECT_NE(open.find("%ctx, i64 16"), std::string::npos) << open;
  EXPECT_EQ(open.find("%ctx, i64 24"), std::string::npos) << open;
  EXPECT_NE(openat.find("%ctx, i64 24"), std::string::npos) << openat;
  EXPECT_EQ(openat.find("%ctx, i64 16"), std::string::npos) << openat;
}

} // namespace
// delete() of one key of a hist()/lhist() map: one bpf_loop over the buckets, whose callback
// (one per map, shared by its deletes) deletes one bucket's entry; -k checks none of them.
TEST(IrShape, HistKeyDeleteLoopsOverTheBucketsInOneCallbackPerMap) {
  constexpr int kLoop = 181;
  auto c = compile_source(R"(tracepoint:syscalls:sys_enter_read {
      @h[pid] = hist(args.count); @l[pid, comm] = lhist(args.count, 0, 100, 10);
      delete(@h[pid]); delete(@h, 7); delete(@l[pid, comm]); })",
                          false, 1);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kLoop), 3) << c->ir;
  EXPECT_EQ(count_helper_calls(c->ir, kDelete), 2) << c->ir; // one in each callback
  EXPECT_NE(c->ir.find("define internal i64 @tl_delete_buckets_AT_h(i64 "), std::string::npos);
  EXPECT_NE(c->ir.find("define internal i64 @tl_delete_buckets_AT_l(i64 "), std::string::npos);
  EXPECT_NE(c->ir.find("i64 66, i8*"), std::string::npos) << c->ir; // hist: 66 buckets
  EXPECT_NE(c->ir.find("i64 12, i8*"), std::string::npos) << c->ir; // lhist: 10 + 2
  for (const auto& e : c->program.helper_errors)
    EXPECT_NE(e.helper, "map_delete_elem");
}

} // namespace tracelet::testing
