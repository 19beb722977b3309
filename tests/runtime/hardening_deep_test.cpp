// Deep programs through the real binary (issue 13, item 2): far beyond the nesting limit a
// located error and exit status 1; just below it a full compile and verifier load. Never a
// signal.
#include "harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

using namespace tracelet::test;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

std::vector<std::pair<std::string, std::string>> deep_programs(int n) {
  return {
      {"plus", "BEGIN { @x = pid" + repeat(" + 1", n) + "; exit(); }"},
      {"not", "BEGIN { @x = " + repeat("!", n) + "pid; exit(); }"},
      {"if",
       "BEGIN { " + repeat("if (pid) { ", n / 2) + "@x = 1;" + repeat(" }", n / 2) + " exit(); }"},
      {"ternary", "BEGIN { @x = " + repeat("pid == 1 ? 2 : ", n) + "3; exit(); }"},
      {"casts", "BEGIN { @x = " + repeat("(int64)", n) + "pid; exit(); }"},
  };
}

std::string write_program(const std::string& name, const std::string& text) {
  std::string path = "/tmp/tracelet_harden_deep_" + std::to_string(getpid()) + "_" + name + ".bt";
  std::ofstream(path) << text;
  return path;
}

} // namespace

TEST(DeepPrograms, FarBeyondTheLimitIsALocatedErrorNotACrash) {
  REQUIRE_BPF();
  for (const auto& [name, text] : deep_programs(100000)) {
    std::string path = write_program(name, text);
    auto r = run_tracelet({"--dry-run", path});
    unlink(path.c_str());
    EXPECT_EQ(r.exit_status, 1) << name << ": " << r.err.substr(0, 300);
    EXPECT_EQ(r.err.rfind(path + ":1:", 0), 0u) << name << ": " << r.err.substr(0, 300);
    EXPECT_NE(r.err.find(": error: nested too deeply (limit 2000)"), std::string::npos) << name;
  }
}

TEST(DeepPrograms, JustBelowTheLimitCompilesAndLoads) {
  REQUIRE_BPF();
  for (const auto& [name, text] : deep_programs(1900)) {
    std::string path = write_program(name, text);
    RunSpec spec;
    spec.args = {"--dry-run", path};
    spec.timeout = std::chrono::seconds(60);
    auto r = run_tracelet(spec);
    unlink(path.c_str());
    EXPECT_FALSE(r.timed_out) << name;
    EXPECT_EQ(r.exit_status, 0) << name << ": " << r.err.substr(0, 300);
  }
}

// A long chain is lowered through one merge block (a stack slot past 16 links): each link
// and the final else must still give its own value, for integers and strings.
TEST(DeepPrograms, LongTernaryChainPicksTheRightLink) {
  REQUIRE_BPF();
  std::string ints, strs;
  for (int i = 0; i < 40; ++i) {
    ints += "$p == " + std::to_string(i) + " ? " + std::to_string(100 + i) + " : ";
    strs += "$p == " + std::to_string(i) + " ? \"s" + std::to_string(i) + "\" : ";
  }
  auto r =
      run_tracelet({"-e", "BEGIN { $p = 17; printf(\"%d \", " + ints + "-1); printf(\"%s \", " +
                              strs + "\"none\"); $p = 99; printf(\"%d \", " + ints +
                              "-1); printf(\"%s\\n\", " + strs + "\"none\"); exit(); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("117 s17 -1 none\n"), std::string::npos) << r.out;
}
