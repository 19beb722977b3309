// run() end to end on this kernel, with a hand-written BPF object (bpf/runner_test.bpf.c)
// standing in for codegen's output. Skipped unless root with clang available.
#include "ast/diagnostics.h"
#include "runtime/kernel/tracefs.h"
#include "runtime/runner.h"
#include "test_values.h"

#include <gtest/gtest.h>

#include <atomic>
#include <bpf/bpf.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace tracelet;
using namespace tracelet::test;

namespace {

// The object compiled once per test run; empty with `skip_reason` set if it cannot be.
struct CompiledObject {
  std::vector<uint8_t> elf;
  std::string skip_reason;
};

const CompiledObject& test_object() {
  static const CompiledObject object = [] {
    CompiledObject o;
    if (geteuid() != 0) {
      o.skip_reason = "needs root for BPF";
      return o;
    }
    int probe_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, nullptr, 4, 8, 1, nullptr);
    if (probe_fd < 0) {
      o.skip_reason = "BPF is not available here (cannot create a map)";
      return o;
    }
    close(probe_fd);
    std::string source =
        std::string(TRACELET_SOURCE_DIR) + "/tests/unit/runtime/bpf/runner_test.bpf.c";
    std::string out = "/tmp/tracelet-runner-test-" + std::to_string(getpid()) + ".o";
    std::string multiarch;
    for (const char* dir : {"/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu"}) {
      struct stat st;
      if (::stat(dir, &st) == 0) multiarch = std::string(" -I") + dir;
    }
    std::string cmd =
        "clang -O2 -g -target bpf" + multiarch + " -c " + source + " -o " + out + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) {
      o.skip_reason = "clang cannot compile the test BPF object";
      return o;
    }
    std::ifstream in(out, std::ios::binary);
    o.elf.assign(std::istreambuf_iterator<char>(in), {});
    std::remove(out.c_str());
    return o;
  }();
  return object;
}

#define REQUIRE_TEST_OBJECT()                                                                      \
  do {                                                                                             \
    if (!test_object().skip_reason.empty()) GTEST_SKIP() << test_object().skip_reason;             \
  } while (0)

// BPF links held open by this process: run() attaches through them, so they are exactly the
// links it made. (Counting links by program name would also see the programs of other tests
// running in parallel: tracelet's own BEGIN/END programs share those names.)
int our_links() {
  int n = 0;
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code link_ec;
    auto target = std::filesystem::read_symlink(fd.path(), link_ec);
    if (!link_ec && target.string() == "anon_inode:bpf_link") ++n;
  }
  return n;
}

codegen::ProgramDesc program(const std::string& func, const std::string& provider,
                             const std::string& probe_name) {
  codegen::ProgramDesc p;
  p.func_name = func;
  p.provider = provider;
  p.probe_name = probe_name;
  if (provider == "BEGIN" || provider == "END") p.section = "raw_tp";
  return p;
}

codegen::ProgramDesc interval_ms(uint64_t ms) {
  auto p = program("tick", "interval", "interval:ms:" + std::to_string(ms));
  p.section = "perf_event";
  p.target = "ms";
  p.freq = ms;
  return p;
}

codegen::ProgramDesc getppid_tracepoint() {
  auto p = program("getppid_probe", "tracepoint", "tracepoint:syscalls:sys_enter_getppid");
  p.section = "tracepoint/syscalls/sys_enter_getppid";
  p.target = "syscalls";
  p.func = "sys_enter_getppid";
  return p;
}

// The description of runner_test.bpf.c's maps and events; programs are chosen per test.
codegen::CompiledProgram base_program() {
  codegen::CompiledProgram p;
  p.elf = test_object().elf;
  p.event_map = "events";
  p.start_time_map = "start_time";
  p.maps.push_back(map_desc("@ticks", Type::none(), Type::aggregation(TypeKind::Count)));
  p.maps.push_back(map_desc("@x", Type::none(), Type::i64()));
  p.maps.push_back(map_desc("@calls", Type::probe(), Type::aggregation(TypeKind::Count)));
  p.printfs.push_back({"hello %d %s elapsed-ok=%d\n",
                       Type::tuple({Type::i64(), Type::string(8), Type::u64()}),
                       {}});
  p.printfs.push_back({"getppid\n", Type::tuple({}), {}});
  p.printfs.push_back({"end\n", Type::tuple({}), {}});
  p.map_actions.push_back({1, 0, 0}); // print(@x)
  p.probe_names = {"BEGIN", "interval:ms:50", "tracepoint:syscalls:sys_enter_getppid", "END"};
  return p;
}

struct Outcome {
  int status = -1;
  std::string out;
};

Outcome run_captured(const codegen::CompiledProgram& p, runtime::RunOptions options = {}) {
  testing::internal::CaptureStdout();
  Outcome o;
  try {
    o.status = runtime::run(p, options);
  } catch (...) {
    testing::internal::GetCapturedStdout();
    throw;
  }
  o.out = testing::internal::GetCapturedStdout();
  return o;
}

} // namespace

TEST(Runner, BeginIntervalPrintExitEndAndMaps) {
  REQUIRE_TEST_OBJECT();
  auto p = base_program();
  p.programs = {program("begin", "BEGIN", "BEGIN"), interval_ms(50), program("end", "END", "END")};
  Outcome r = run_captured(p);
  EXPECT_EQ(r.status, 0);
  // The interval's third tick calls exit(); a fourth may fire before the probes are detached.
  std::regex expected("Attaching 3 probes\\.\\.\\.\n"
                      "hello 42 world elapsed-ok=1\n"
                      "@x: 7\n"
                      "end\n"
                      "\n\n"
                      "\n"             // @calls: empty
                      "@ticks: [34]\n" // count() in an array
                      "@x: 7\n");
  EXPECT_TRUE(std::regex_match(r.out, expected)) << r.out;
  EXPECT_EQ(our_links(), 0);
}

TEST(Runner, TracepointFiresAndIsDetached) {
  REQUIRE_TEST_OBJECT();
  // The tool finds tracefs while compiling (mounting its own where none is); this test attaches
  // a ready object, so it asks the same way first.
  tracelet::runtime::tracefs_dir();
  auto p = base_program();
  p.programs = {getppid_tracepoint(), program("end", "END", "END")};
  std::atomic<bool> done = false;
  std::atomic<bool> saw_link = false; // our_links() sees the attachment while it exists
  std::thread caller([&] {
    for (int i = 0; i < 500 && !saw_link; ++i) {
      saw_link = our_links() > 0;
      usleep(10000);
    }
    while (!done) {
      getppid();
      usleep(5000);
    }
  });
  Outcome r = run_captured(p);
  done = true;
  caller.join();
  EXPECT_TRUE(saw_link);
  EXPECT_EQ(r.status, 0);
  std::regex expected("Attaching 2 probes\\.\\.\\.\n"
                      "getppid\n"
                      "end\n"
                      "\n\n"
                      "@calls\\[tracepoint:syscalls:sys_enter_getppid\\]: [1-9][0-9]*\n"
                      "@ticks: 0\n"
                      "\n"); // @x: never set
  EXPECT_TRUE(std::regex_match(r.out, expected)) << r.out;
  EXPECT_EQ(our_links(), 0);
}

TEST(Runner, SigintEndsARunThatOnlyHasBegin) {
  REQUIRE_TEST_OBJECT();
  auto p = base_program();
  p.programs = {program("begin", "BEGIN", "BEGIN")};
  std::thread interrupter([] {
    usleep(300000);
    kill(getpid(), SIGINT);
  });
  Outcome r = run_captured(p);
  interrupter.join();
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Attaching 1 probe...\n"
                   "hello 42 world elapsed-ok=1\n"
                   "\n\n"
                   "\n"
                   "@ticks: 0\n"
                   "@x: 7\n");
}

TEST(Runner, DryRunLoadsAndPrintsNothing) {
  REQUIRE_TEST_OBJECT();
  auto p = base_program();
  p.programs = {program("begin", "BEGIN", "BEGIN"), interval_ms(50), getppid_tracepoint(),
                program("end", "END", "END")};
  runtime::RunOptions options;
  options.dry_run = true;
  Outcome r = run_captured(p, options);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(our_links(), 0);
}

TEST(Runner, VerifierRejectionIsAOneLineError) {
  REQUIRE_TEST_OBJECT();
  auto p = base_program();
  p.programs = {program("bad", "BEGIN", "BEGIN")};
  testing::internal::CaptureStderr();
  try {
    run_captured(p);
    ADD_FAILURE() << "the verifier accepted a NULL dereference";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("'bad'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("verifier: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("-v"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), ""); // libbpf's noise stays hidden
}

TEST(Runner, UnsupportedProbeFailsBeforeAttachingAnything) {
  REQUIRE_TEST_OBJECT();
  auto p = base_program();
  auto kprobe = program("tick", "kprobe", "kprobe:do_nanosleep");
  kprobe.func = "do_nanosleep";
  p.programs = {getppid_tracepoint(), kprobe};
  testing::internal::CaptureStdout();
  try {
    runtime::run(p, {});
    ADD_FAILURE() << "a kprobe was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("kprobe:do_nanosleep cannot attach"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(our_links(), 0);
}

TEST(Runner, MissingProgramIsAnError) {
  REQUIRE_TEST_OBJECT();
  auto p = base_program();
  p.programs = {program("no_such_function", "BEGIN", "BEGIN")};
  EXPECT_THROW(runtime::run(p, {}), Error);
}

TEST(Runner, GarbageObjectIsAnError) {
  codegen::CompiledProgram p;
  p.elf = {1, 2, 3, 4};
  p.programs = {program("begin", "BEGIN", "BEGIN")};
  try {
    runtime::run(p, {});
    ADD_FAILURE() << "libbpf accepted garbage";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos) << e.what();
  }
}

TEST(Runner, NoProbesIsAnError) {
  codegen::CompiledProgram p;
  try {
    runtime::run(p, {});
    ADD_FAILURE() << "a program without probes was run";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the program has no probes to attach");
  }
}
