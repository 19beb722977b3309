// Path globs in uprobe, uretprobe and usdt targets, relative ones included, as bpftrace 0.17
// resolves them: glob(3) from the current directory, so `.*/progs/x` names both ./progs/x
// and ../progs/x, and each match is an attach point named with the path as glob(3) spells it
// (bpftrace's own runtime tests probe `uprobe:.*/testprogs/intptrcast:fn`).
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>

using namespace tracelet::test;
namespace fs = std::filesystem;

namespace {

// A scratch tree: DIR/work (the current directory of the runs), with copies of the uprobe
// and USDT targets in DIR/work/progs and DIR/progs. Removed at the end.
class PathGlobs : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tracelet-path-globs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const fs::path& progs : {root_ / "work" / "progs", root_ / "progs"}) {
      fs::create_directories(progs);
      fs::copy_file(TL_UPROBE_TARGET, progs / "tl_uprobe_target");
      fs::copy_file(TL_USDT_TARGET, progs / "tl_usdt_target");
    }
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // Runs `script` from DIR/`from`; once attached, runs `runs` (programs under DIR) in turn.
  RunResult trace(const std::string& script, const std::vector<std::vector<std::string>>& runs,
                  const fs::path& from = "work") {
    ScopedCwd cwd(root_ / from);
    RunSpec spec;
    spec.args = {"-e", "BEGIN { printf(\"ready\\n\"); } " + script};
    spec.ready_marker = "ready\n";
    spec.workload = [&] {
      for (auto run : runs) {
        run[0] = (root_ / run[0]).string();
        run_command(run);
      }
    };
    spec.stop_signal = SIGINT;
    return run_tracelet(spec);
  }

  RunResult list(const std::string& pattern) {
    ScopedCwd cwd(root_ / "work");
    return run_tracelet({"-l", pattern});
  }

  fs::path root_;
};

TEST_F(PathGlobs, UprobeAndUretprobeAttachToEveryRelativeMatch) {
  REQUIRE_BPF();
  auto r = trace(
      "uprobe:.*/progs/tl_uprobe_target:tl_square { printf(\"%s %d\\n\", probe, arg0); }"
      " uretprobe:.*/progs/tl_uprobe_target:tl_squ* "
      "{ printf(\"%s %d\\n\", probe, retval); }",
      {{"work/progs/tl_uprobe_target", "calls", "1"}, {"progs/tl_uprobe_target", "calls", "1"}});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  for (const char* line : {"uprobe:./progs/tl_uprobe_target:tl_square 7\n",
                           "uretprobe:./progs/tl_uprobe_target:tl_square 49\n",
                           "uprobe:../progs/tl_uprobe_target:tl_square 7\n",
                           "uretprobe:../progs/tl_uprobe_target:tl_square 49\n"})
    EXPECT_EQ(count_of(r.out, line), 1u) << line << "in:\n" << r.out;
}

TEST_F(PathGlobs, GlobWithoutDotsMatchesBelowTheCurrentDirectory) {
  REQUIRE_BPF();
  // `*` does not match a leading dot (glob(3)): only progs/, not ../progs/.
  auto r = trace("uprobe:*/tl_uprobe_tar*et:tl_square { printf(\"%s\\n\", probe); }",
                 {{"work/progs/tl_uprobe_target", "calls", "1"}});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "uprobe:progs/tl_uprobe_target:tl_square\n"), 1u) << r.out;
  EXPECT_EQ(count_of(r.out, "../"), 0u) << r.out;
}

TEST_F(PathGlobs, AGlobWithoutASlashMatchesInTheCurrentDirectory) {
  REQUIRE_BPF();
  // Named ./tl_uprobe_target (bpftrace 0.17 lists it as tl_uprobe_target but cannot attach).
  auto r = trace("uprobe:tl_uprobe_tar*:tl_square { printf(\"%s\\n\", probe); }",
                 {{"work/progs/tl_uprobe_target", "calls", "1"}}, "work/progs");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "uprobe:./tl_uprobe_target:tl_square\n"), 1u) << r.out;
}

TEST_F(PathGlobs, UsdtAttachesToEveryRelativeMatch) {
  REQUIRE_BPF();
  auto r = trace("usdt:.*/progs/tl_usdt_target:tl:consts { printf(\"%s %d\\n\", probe, arg3); }",
                 {{"work/progs/tl_usdt_target", "1"}, {"progs/tl_usdt_target", "1"}});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "usdt:./progs/tl_usdt_target:tl:consts -7\n"), 1u) << r.out;
  EXPECT_EQ(count_of(r.out, "usdt:../progs/tl_usdt_target:tl:consts -7\n"), 1u) << r.out;
}

TEST_F(PathGlobs, ListingNamesEveryRelativeMatch) {
  auto r = list("uprobe:.*/progs/tl_uprobe_target:tl_squ*");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "uprobe:../progs/tl_uprobe_target:tl_square\n"
                   "uprobe:./progs/tl_uprobe_target:tl_square\n");
  auto ret = list("uretprobe:*/tl_uprobe_target:tl_squ*");
  ASSERT_EQ(ret.exit_status, 0) << ret.err;
  EXPECT_EQ(ret.out, "uretprobe:progs/tl_uprobe_target:tl_square\n");
  auto usdt = list("usdt:.*/progs/tl_usdt_target:tl:consts");
  ASSERT_EQ(usdt.exit_status, 0) << usdt.err;
  EXPECT_EQ(usdt.out, "usdt:../progs/tl_usdt_target:tl:consts\n"
                      "usdt:./progs/tl_usdt_target:tl:consts\n");
}

TEST_F(PathGlobs, AGlobMatchingNoFileIsALocatedError) {
  ScopedCwd cwd(root_ / "work");
  auto r = run_tracelet({"-e", "uprobe:.*/nowhere/tl_uprobe_target:tl_square { }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:1: error: no executable file matches '.*/nowhere/tl_uprobe_target'\n"
                   "uprobe:.*/nowhere/tl_uprobe_target:tl_square { }\n"
                   "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

} // namespace
