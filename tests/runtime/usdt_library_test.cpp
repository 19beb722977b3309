// usdt probes in a shared library that a process links (tl_usdt_lib_target, which links
// libtl_usdt_lib.so): -l with -p lists the probes of the program and of its libraries, and a
// probe without a binary (or with "*") attaches in whichever of them has it, as in bpftrace.
#include "harness.h"

#include <gtest/gtest.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <unistd.h>

namespace {

using tracelet::test::reference_bpftrace;
using tracelet::test::run_command;
using tracelet::test::run_tracelet;
using tracelet::test::RunSpec;
using tracelet::test::StdinTarget;

// Paths as the process maps them (the build tree may be reached through a symlink).
std::string real(const char* path) {
  char buf[PATH_MAX];
  return realpath(path, buf) ? buf : path;
}

const std::string kProgram = real(TL_USDT_LIB_TARGET);
const std::string kLibrary = real(TL_USDT_LIB);

// A tl_usdt_lib_target in its stdin mode, once the dynamic linker has mapped its library.
struct Target : StdinTarget {
  Target() : StdinTarget(TL_USDT_LIB_TARGET) {
    for (int i = 0; i < 200; ++i) {
      if (tracelet::test::read_file("/proc/" + std::to_string(pid()) + "/maps").find(kLibrary) !=
          std::string::npos)
        return;
      usleep(10000);
    }
  }
};

TEST(UsdtLibrary, ListingByPidIncludesLinkedLibraries) {
  REQUIRE_BPF();
  Target target;
  ASSERT_GT(target.pid(), 0);
  std::string root = "/proc/" + std::to_string(target.pid()) + "/root";
  auto r = run_tracelet({"-l", "usdt:*", "-p", std::to_string(target.pid())});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "usdt:" + root + kLibrary + ":tllib2:lib_probe_2\n" +  //
                       "usdt:" + root + kLibrary + ":tllib:lib_probe\n" + //
                       "usdt:" + root + kProgram + ":tlmain:main_probe\n");
  // A binary in the pattern picks one of the files; uprobes are the program's only.
  auto lib = run_tracelet({"-l", "usdt:" + kLibrary + ":*:*", "-p", std::to_string(target.pid())});
  EXPECT_EQ(lib.out, "usdt:" + root + kLibrary + ":tllib2:lib_probe_2\n" + //
                         "usdt:" + root + kLibrary + ":tllib:lib_probe\n");
  auto uprobes = run_tracelet({"-l", "uprobe:*", "-p", std::to_string(target.pid())});
  EXPECT_NE(uprobes.out.find("uprobe:" + root + kProgram + ":main\n"), std::string::npos);
  EXPECT_EQ(uprobes.out.find("tl_lib_fire"), std::string::npos) << uprobes.out;
}

TEST(UsdtLibrary, ListingByPidMatchesBpftrace) {
  REQUIRE_BPF();
  std::string bpftrace = reference_bpftrace();
  if (bpftrace.empty()) GTEST_SKIP() << "bpftrace is not installed: listings not compared";
  Target target;
  ASSERT_GT(target.pid(), 0);
  std::string pid = std::to_string(target.pid());
  for (const std::string& pattern :
       {std::string("usdt:*"), std::string("usdt:*:*:*"), std::string("usdt:::lib_probe"),
        std::string("usdt:*:tllib:*"), std::string("usdt:lib_probe_2"), "usdt:" + kLibrary + ":*:*",
        "usdt:" + kProgram + ":*:*", std::string("*:*")}) {
    std::string expected;
    EXPECT_EQ(run_command({bpftrace, "-l", pattern, "-p", pid}, &expected), 0) << pattern;
    auto r = run_tracelet({"-l", pattern, "-p", pid});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.out, expected) << pattern;
  }
}

// Runs `script` with -p on a running tl_usdt_lib_target, which fires its markers twice once
// the probes are attached and exits (the workload waits for it); then tracelet is stopped.
tracelet::test::RunResult trace_target(const std::string& script) {
  std::optional<Target> target(std::in_place);
  RunSpec spec;
  spec.args = {"-p", std::to_string(target->pid()), "-e",
               "BEGIN { printf(\"ready\\n\"); } " + script};
  spec.ready_marker = "ready";
  spec.workload = [&] {
    target->send("xx");
    target.reset(); // its stdin closes: it runs twice, exits and is reaped
  };
  spec.stop_signal = SIGINT;
  return run_tracelet(spec);
}

TEST(UsdtLibrary, AttachesToALibraryProbeByPid) {
  REQUIRE_BPF();
  for (const std::string& probe :
       {"usdt:" + kLibrary + ":tllib:lib_probe", std::string("usdt:::lib_probe"),
        std::string("usdt::tllib:lib_probe"), std::string("usdt:*:tllib:lib_probe")}) {
    auto r = trace_target(probe + " { @lib = count(); @args = sum(arg0); } " +
                          "usdt:::lib_probe_2 { @two = sum(arg1); }");
    EXPECT_EQ(r.exit_status, 0) << probe << "\n" << r.err;
    EXPECT_NE(r.out.find("Attaching 3 probes...\n"), std::string::npos) << probe << "\n" << r.out;
    EXPECT_NE(r.out.find("@args: 1\n"), std::string::npos) << probe << "\n" << r.out; // 0 + 1
    EXPECT_NE(r.out.find("@lib: 2\n"), std::string::npos) << probe << "\n" << r.out;
    EXPECT_NE(r.out.find("@two: 2\n"), std::string::npos) << probe << "\n" << r.out;
  }
  // The program's own marker, as before.
  auto own = trace_target("usdt:::main_probe { @main = count(); }");
  EXPECT_NE(own.out.find("@main: 2\n"), std::string::npos) << own.out << own.err;
}

TEST(UsdtLibrary, ProbeInNoFileOfTheProcessIsAnError) {
  REQUIRE_BPF();
  Target target;
  std::string pid = std::to_string(target.pid());
  auto r = run_tracelet({"-p", pid, "-e", "usdt::tllib:nope { }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:1: error: no USDT probe in /proc/" + pid + "/root" + kProgram +
                       " or the libraries it maps matches 'tllib:nope'\n"
                       "usdt::tllib:nope { }\n"
                       "^~~~~~~~~~~~~~~~\n");
}

} // namespace
