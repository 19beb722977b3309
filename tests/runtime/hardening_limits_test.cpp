// Limits (issue 13, item 6): the 65th probe on one tracepoint is a located error from the
// checks, before compiling; 64 load.
#include "harness.h"

#include <gtest/gtest.h>

#include <fstream>
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
