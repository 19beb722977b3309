// The ctx builtin in codegen: reads through it are direct loads from the program's context
// at constant offsets (never probe_read, which the kernel's own perf-event and packet context
// structs would answer wrongly), and every probe kind that has ctx passes the verifier,
// including the kinds this kernel cannot attach (kprobe).
#include "codegen_fixture.h"

namespace tracelet::testing {
namespace {

constexpr int kProbeReadKernel = 113;

TEST(ContextIr, PtRegsFieldsAreDirectLoadsWhateverCarriesTheContext) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(R"(kprobe:do_nanosleep { $v = ctx; $r = (struct pt_regs *)$v;
                                 @[ctx->di, $v->si, $r->ip] = count(); })",
                          true);
  ASSERT_TRUE(c);
  // di, si, ip of struct pt_regs.
  EXPECT_EQ(ctx_offsets(c->ir), (std::vector<int>{112, 104, 128})) << c->ir;
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernel), 0) << c->ir;
}

TEST(ContextIr, PerfEventFieldsAndEmbeddedRegisters) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(R"(profile:hz:99 { @[ctx->sample_period, ctx->regs.ip,
                                 ((struct pt_regs *)ctx)->sp] = count(); })",
                          true);
  ASSERT_TRUE(c);
  EXPECT_EQ(ctx_offsets(c->ir), (std::vector<int>{168, 128, 152})) << c->ir;
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernel), 0) << c->ir;
}

TEST(ContextIr, PastTheContextIsAKernelRead) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(R"(kprobe:do_nanosleep { @ = (ctx + 1)->di; })", true);
  ASSERT_TRUE(c);
  EXPECT_EQ(count_helper_calls(c->ir, kProbeReadKernel), 1) << c->ir;
}

struct Case {
  const char* name;
  const char* source;
};

const Case kCases[] = {
    {"kprobe", R"(kprobe:do_nanosleep { $v = ctx; printf("%p %d %d\n", ctx, ctx->di, $v->si);
                  @[((struct pt_regs *)ctx)->ip] = count(); @a = (uint64)ctx; })"},
    {"kretprobe", R"(kretprobe:do_nanosleep { @[ctx->ax == retval] = count(); })"},
    {"uprobe", R"(uprobe:/proc/self/exe:main { $r = *ctx; @[ctx->di, $r.si] = count(); })"},
    {"uretprobe", R"(uretprobe:/proc/self/exe:main { @ = sum(ctx->ax); })"},
    {"profile", R"(profile:hz:99 { @[ctx->sample_period, ctx->regs.ip] = count();
                   $r = *ctx; @s = $r.addr; })"},
    {"interval", R"(interval:ms:100 { printf("%d %d\n", ctx->sample_period,
                    ((struct bpf_perf_event_data *)ctx)->addr); })"},
    {"software", R"(software:page-faults:10 { @[ctx->addr] = count(); })"},
    {"in_loops", R"(kprobe:do_nanosleep { @m[1] = 1; for ($kv : @m) { @x[ctx->di] = count(); }
                    for $i : 0..3 { @y[ctx->si + (uint64)$i] = count(); } })"},
    {"ternary", R"(kprobe:do_nanosleep { $t = pid > 1 ? ctx : (struct pt_regs *)ctx;
                   @ = $t->dx; })"},
    {"xdp", R"(xdp:lo { @[ctx->rx_queue_index, ctx->ingress_ifindex] = count(); })"},
    {"tc", R"(tc:lo:ingress { @[ctx->mark, ctx->cb[1], ctx->len] = count(); $c = ctx->cb;
              @c = $c[4]; @t = ctx->tstamp; })"},
    {"past_the_context", R"(kprobe:do_nanosleep { @ = (ctx + 1)->di; @a = &ctx->si; })"},
};

class ContextLoad : public ::testing::TestWithParam<Case> {};

TEST_P(ContextLoad, PassesTheVerifier) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(GetParam().source, /*real_kernel=*/true);
  ASSERT_TRUE(c);
  EXPECT_EQ(load_into_kernel(c->program), "") << GetParam().source << "\n--- IR:\n" << c->ir;
}

INSTANTIATE_TEST_SUITE_P(Kinds, ContextLoad, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

} // namespace
} // namespace tracelet::testing
