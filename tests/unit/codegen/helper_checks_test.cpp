// -k / -kk (codegen/helper_errors.cpp): which helper calls get a failure check, what the runtime
// is told about each, and that checked programs still pass the verifier.
#include "codegen_fixture.h"

namespace tracelet::testing {
namespace {

constexpr int kPerfEventOutput = 25;
const char* const kSource = "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); "
                            "delete(@[\"x\"]); printf(\"%s\\n\", str(args.filename)); }";

TEST(HelperChecks, NoneWithoutK) {
  auto c = compile_source(kSource, false);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->program.helper_errors.empty());
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 1); // the printf only
}

TEST(HelperChecks, KChecksMapUpdatesAndDeletesButNotReads) {
  auto c = compile_source(kSource, false, 1);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.helper_errors.size(), 2u);
  EXPECT_EQ(c->program.helper_errors[0].helper, "map_update_elem");
  EXPECT_EQ(c->program.helper_errors[1].helper, "map_delete_elem");
  EXPECT_EQ(c->program.helper_errors[1].loc.col, 59); // delete(...)
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 3);
}

TEST(HelperChecks, KkChecksReadsToo) {
  auto c = compile_source(kSource, false, 2);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->program.helper_errors.size(), 3u);
  EXPECT_EQ(c->program.helper_errors[2].helper, "probe_read_user_str");
  EXPECT_EQ(count_helper_calls(c->ir, kPerfEventOutput), 4);
}

// -kk also reports a read of a map element that is not there (bpftrace's "Failed to
// map_lookup_elem"), at the map expression; -k does not.
TEST(HelperChecks, KkChecksReadsOfMissingMapElements) {
  const char* source = "BEGIN { @m[1] = 1; $x = @m[2]; printf(\"%d\\n\", @m[3] + $x); }";
  auto k = compile_source(source, false, 1);
  ASSERT_TRUE(k);
  ASSERT_EQ(k->program.helper_errors.size(), 1u);
  EXPECT_EQ(k->program.helper_errors[0].helper, "map_update_elem");
  auto kk = compile_source(source, true, 2);
  ASSERT_TRUE(kk);
  ASSERT_EQ(kk->program.helper_errors.size(), 3u);
  EXPECT_EQ(kk->program.helper_errors[1].helper, "map_lookup_elem");
  EXPECT_EQ(kk->program.helper_errors[1].loc.col, 25); // @m[2]
  EXPECT_EQ(kk->program.helper_errors[2].helper, "map_lookup_elem");
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  EXPECT_EQ(load_into_kernel(kk->program), "");
}

TEST(HelperChecks, CheckedProgramLoads) {
  if (std::string why = kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(kSource, true, 2);
  ASSERT_TRUE(c);
  EXPECT_EQ(load_into_kernel(c->program), "");
}

} // namespace
} // namespace tracelet::testing
