// Limits (issue 13, item 6): the 65th probe on one tracepoint is a located error from the
// checks, before compiling; 64 load. Programs needing more open files than the limit.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>

using namespace tracelet::test;

namespace {

std::string probes_on_one_tracepoint(int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "tracepoint:syscalls:sys_enter_getppid { @c" + std::to_string(i) + " = count(); }\n";
  return text;
}

std::string write_program(const std::string& name, const std::string& text) {
  std::string path = "/tmp/tracelet_harden_" + name + "_" + std::to_string(getpid()) + ".bt";
  std::ofstream(path) << text;
  return path;
}

} // namespace

TEST(ProgramLimits, SixtyFifthProbeOnATracepointIsALocatedError) {
  REQUIRE_BPF();
  std::string path = write_program("65", probes_on_one_tracepoint(65));
  auto r = run_tracelet({path});
  unlink(path.c_str());
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, ""); // stopped before attaching anything
  EXPECT_EQ(r.err, path + ":65:1: error: tracepoint:syscalls:sys_enter_getppid has more than 64 "
                          "probes; the kernel runs at most 64 programs on one event\n"
                          "tracepoint:syscalls:sys_enter_getppid { @c64 = count(); }\n"
                          "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(ProgramLimits, SixtyFourProbesOnATracepointLoad) {
  REQUIRE_BPF();
  std::string path = write_program("64", probes_on_one_tracepoint(64));
  auto r = run_tracelet({"--dry-run", path});
  unlink(path.c_str());
  EXPECT_EQ(r.exit_status, 0) << r.err;
}

namespace {

size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  size_t n = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return n;
}

const char* kTwentyKeys = "BEGIN { $i = 0; while ($i < 20) { @m[$i] = $i; $i++; } exit(); }";
const char* kFullWarning =
    "tracelet: warning: map @m is full (10 entries): new keys are dropped; raise the limit "
    "with --map-keys-max or BPFTRACE_MAP_KEYS_MAX\n";

} // namespace

TEST(ProgramLimits, MapKeysMaxOptionLimitsAndWarnsOnce) {
  REQUIRE_BPF();
  auto r = run_tracelet({"--map-keys-max", "10", "-e", kTwentyKeys});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_lines_starting(r.out, "@m["), 10u) << r.out;
  EXPECT_EQ(r.err, kFullWarning);
}

TEST(ProgramLimits, MapKeysMaxFromTheEnvironment) {
  REQUIRE_BPF();
  setenv("BPFTRACE_MAP_KEYS_MAX", "10", 1);
  auto r = run_tracelet({"-e", kTwentyKeys});
  unsetenv("BPFTRACE_MAP_KEYS_MAX");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_lines_starting(r.out, "@m["), 10u) << r.out;
  EXPECT_EQ(r.err, kFullWarning);
}

TEST(ProgramLimits, MapBelowItsLimitGivesNoWarning) {
  REQUIRE_BPF();
  auto r = run_tracelet({"--map-keys-max", "30", "-e", kTwentyKeys});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_lines_starting(r.out, "@m["), 20u) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(ProgramLimits, HelperWarningsAreRateLimited) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-k", "-e",
                         "BEGIN { @x[1] = 1; $i = 0; while ($i < 50) { delete(@x[$i + 2]); $i++; "
                         "} exit(); }"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(count_lines_starting(r.out, "stdin:1:"), 10u) << r.out;
  EXPECT_EQ(r.err, "tracelet: warning: 40 more failed helper calls not shown (the first 10 are, "
                   "then a count at most once a second)\n");
}

// Open files (issue 13): the loaded object holds one descriptor per program and map, a run up
// to two more per attachment. tracelet raises RLIMIT_NOFILE to what it needs; where the hard
// limit stops it, a dry run verifies in batches and a run is one clear error.
namespace {

// 64 programs on one tracepoint sharing one map (@c[i]).
std::string probes_sharing_a_map(int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "tracepoint:syscalls:sys_enter_getppid { @c[" + std::to_string(i) + "] = count(); }\n";
  return text;
}

// tracelet under a hard open-file limit of 100, without CAP_SYS_RESOURCE (so that even root
// cannot raise it); stdout and stderr together.
int run_with_hard_file_limit(const std::vector<std::string>& args, std::string* out) {
  std::string cmd =
      "exec prlimit --nofile=100:100 setpriv --bounding-set=-sys_resource " + tracelet_binary();
  for (const auto& a : args)
    cmd += " '" + a + "'";
  return run_command({"/bin/sh", "-c", cmd + " 2>&1"}, out);
}

} // namespace

TEST(OpenFileLimit, SoftLimitBelowWhatTheProgramNeedsIsRaised) {
  REQUIRE_BPF();
  // 64 programs and 64 maps do not fit in 100 open files.
  std::string path = write_program("nofile_soft", probes_on_one_tracepoint(64));
  rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 100;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0); // inherited by tracelet
  auto r = run_tracelet({"--dry-run", path});
  setrlimit(RLIMIT_NOFILE, &saved);
  unlink(path.c_str());
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST(OpenFileLimit, DryRunVerifiesInBatchesUnderALowHardLimit) {
  REQUIRE_BPF();
  std::string path = write_program("nofile_batches", probes_sharing_a_map(64));
  std::string out;
  int status = run_with_hard_file_limit({"-d", "times", "--dry-run", path}, &out);
  unlink(path.c_str());
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("tracelet: time: libbpf: load in batches"), std::string::npos) << out;
}

TEST(OpenFileLimit, RunBeyondTheHardLimitIsOneClearError) {
  REQUIRE_BPF();
  int links_before = count_bpf_links();
  std::string path = write_program("nofile_hard", probes_sharing_a_map(64));
  std::string out;
  int status = run_with_hard_file_limit({path}, &out);
  unlink(path.c_str());
  EXPECT_EQ(status, 1);
  // The count depends on the number of CPUs (the perf buffer's events).
  EXPECT_EQ(out.rfind("tracelet: error: this program needs ", 0), 0u) << out;
  EXPECT_NE(out.find(" open files (64 BPF programs, "), std::string::npos) << out;
  EXPECT_NE(out.find("64 attachments"), std::string::npos) << out;
  EXPECT_NE(out.find("but the open-file limit (RLIMIT_NOFILE) is 100 and cannot be raised"),
            std::string::npos)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_EQ(count_bpf_links(), links_before);
}
