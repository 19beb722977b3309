// Golden AST tests: every tests/golden/parser/X.bt is parsed and dumped, and the dump must equal
// X.ast. Run with TRACELET_UPDATE_GOLDEN=1 to rewrite the .ast files after a deliberate change
// (then review the diff).
#include "parse_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace fs = std::filesystem;
using namespace tracelet::testing;

namespace {

const fs::path kGoldenDir = fs::path(TRACELET_SOURCE_DIR) / "tests/golden/parser";

std::vector<fs::path> golden_programs() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kGoldenDir))
    if (entry.path().extension() == ".bt") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

TEST(ParserGolden, EnoughProgramsHaveExpectations) {
  auto files = golden_programs();
  EXPECT_GE(files.size(), 25u);
  for (const auto& bt : files) {
    fs::path expected = bt;
    expected.replace_extension(".ast");
    EXPECT_TRUE(fs::exists(expected)) << "missing " << expected;
  }
}

TEST(ParserGolden, EveryProgramDumpsAsExpected) {
  bool update = std::getenv("TRACELET_UPDATE_GOLDEN") != nullptr;
  for (const auto& bt : golden_programs()) {
    SCOPED_TRACE(bt.filename().string());
    auto r = parse_text(read_file(bt), bt.filename().string());
    ASSERT_TRUE(r.program) << r.messages();
    std::string actual = dump(*r.program);
    fs::path expected_path = bt;
    expected_path.replace_extension(".ast");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    EXPECT_EQ(read_file(expected_path), actual);
  }
}

// bpftrace's own tools (installed with bpftrace 0.17) are real-world syntax: all must parse.
TEST(ParserGolden, BpftraceToolsParse) {
  const fs::path tools = "/usr/sbin";
  std::vector<fs::path> files;
  if (fs::is_directory(tools))
    for (const auto& entry : fs::directory_iterator(tools))
      if (entry.path().extension() == ".bt") files.push_back(entry.path());
  if (files.empty()) GTEST_SKIP() << "no bpftrace tools (*.bt) in /usr/sbin";
  std::sort(files.begin(), files.end());
  int parsed = 0;
  for (const auto& f : files) {
    auto r = parse_text(read_file(f), f.string());
    EXPECT_TRUE(r.program) << f << " does not parse:\n" << r.messages();
    EXPECT_EQ(r.diags.error_count(), 0) << r.messages();
    if (r.program) {
      EXPECT_FALSE(r.program->probes.empty()) << f;
      ++parsed;
    }
  }
  EXPECT_EQ(parsed, static_cast<int>(files.size()));
  std::cout << "parsed " << parsed << " bpftrace tools\n";
}
