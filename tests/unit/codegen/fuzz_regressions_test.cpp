// The inputs that crashed the fuzz harness (tests/fuzz, issue 13 item 7), replayed through the
// same front-end path (tests/fuzz/frontend_run.cpp) in a normal build: each must now give its
// expected outcome, a located error or a compiled program, and never a crash. The seed corpus
// must compile, so that fuzzing starts from programs that reach codegen.
#include "codegen_fixture.h"
#include "tests/fuzz/frontend_run.h"

#include "parser/source_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

namespace fs = std::filesystem;
using tracelet::fuzz::run_frontend;

namespace {

struct Expected {
  bool compiled;
  std::string error; // a part of the message, if !compiled
};

// One entry per file of fuzz_regressions/ (the input exactly as libFuzzer saved it).
const std::map<std::string, Expected> kRegressions = {
    // An error thrown in the middle of codegen left DIBuilder's temporary nodes (one list per
    // subprogram) unfreed: LeakSanitizer, found by the fuzzer with buf() as a statement and
    // print() with negative literals. Both forms compile now, as bpftrace 0.17 runs them.
    {"print-negative-range-debug-info-leak.bt", {true, ""}},
    {"buf-statement-debug-info-leak.bt", {true, ""}},
    // An error thrown mid-codegen, which still has to free those nodes. delete() of one key
    // of a hist() map compiles now (codegen/bucket_delete.cpp); located_errors_test.cpp
    // keeps a codegen error of that kind (an lhist() with too many buckets).
    {"delete-hist-key-error-mid-codegen.bt", {true, ""}},
};

std::string regressions_dir() {
  return std::string(TRACELET_SOURCE_DIR) + "/tests/unit/codegen/fuzz_regressions";
}

} // namespace

TEST(FuzzRegressions, EveryInputHasItsOutcome) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(regressions_dir())) {
    std::string name = entry.path().filename().string();
    if (name == "README") continue;
    ++files;
    auto it = kRegressions.find(name);
    ASSERT_NE(it, kRegressions.end()) << name << ": add its expected outcome to kRegressions";
    auto result = run_frontend(tracelet::parser::read_program_file(entry.path().string()));
    EXPECT_EQ(result.compiled, it->second.compiled) << name << ":\n" << result.errors;
    if (!it->second.compiled) {
      EXPECT_NE(result.errors.find(it->second.error), std::string::npos)
          << name << ": expected \"" << it->second.error << "\" in:\n"
          << result.errors;
    }
  }
  EXPECT_EQ(files, static_cast<int>(kRegressions.size())) << "an input of kRegressions is missing";
}

TEST(FuzzRegressions, SeedsCompile) {
  // The seeds name real tracepoints and kernel functions (tracefs, BTF).
  if (auto why = tracelet::testing::kernel_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  int seeds = 0;
  for (const auto& entry :
       fs::directory_iterator(std::string(TRACELET_SOURCE_DIR) + "/tests/fuzz/seeds")) {
    ++seeds;
    auto result = run_frontend(tracelet::parser::read_program_file(entry.path().string()));
    EXPECT_TRUE(result.compiled) << entry.path() << ":\n" << result.errors;
  }
  EXPECT_GT(seeds, 5);
}
