// The command line and bpftrace's environment variables (issue 10, item 11), run for real:
// `-` reads the program from stdin, bundled short options, -p and -l validation, --info,
// BPFTRACE_MAX_PROBES on a wildcard, BPFTRACE_STRLEN on probe reads, BPFTRACE_PERF_RB_PAGES
// in the perf buffer's mappings, BPFTRACE_NO_CPP_DEMANGLE on a C++ target.
#include "harness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <unistd.h>

using namespace tracelet::test;

namespace {

// Runs `command` through /bin/sh, stdout and stderr together.
int shell(const std::string& command, std::string* out) {
  return run_command({"/bin/sh", "-c", command + " 2>&1"}, out);
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Sets an environment variable for the tracelet children of one test.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_.c_str(), old_->c_str(), 1);
    else
      unsetenv(name_.c_str());
  }

private:
  std::string name_;
  std::optional<std::string> old_;
};

// The pid of the process whose command line contains `marker` (the tracelet of this test).
int find_process_with(const std::string& marker) {
  DIR* proc = opendir("/proc");
  if (!proc) return -1;
  int found = -1;
  while (dirent* d = readdir(proc)) {
    int pid = std::atoi(d->d_name);
    if (pid <= 0 || pid == getpid()) continue;
    std::ifstream f(std::string("/proc/") + d->d_name + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (cmdline.find(marker) != std::string::npos &&
        cmdline.find("tracelet") != std::string::npos) {
      found = pid;
      break;
    }
  }
  closedir(proc);
  return found;
}

// "name: value" lines of one --info section.
std::map<std::string, std::string> info_section(const std::string& info, const std::string& title) {
  std::map<std::string, std::string> items;
  std::istringstream in(info);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ') {
      inside = line == title;
      continue;
    }
    size_t colon = line.find(": ");
    if (inside && colon != std::string::npos)
      items[line.substr(2, colon - 2)] = line.substr(colon + 2);
  }
  return items;
}

} // namespace

TEST(CliStdin, DashReadsTheProgramFromStdin) {
  REQUIRE_BPF();
  std::string out;
  int status = shell("printf '%s' " +
                         quoted(R"(BEGIN { printf("from stdin %s %d\n", str($1), $2); exit(); })") +
                         " | " + tracelet_binary() + " - first 42",
                     &out);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("from stdin first 42\n"), std::string::npos) << out;
}

TEST(CliStdin, ErrorsInAStdinProgramNameStdin) {
  std::string out;
  int status = shell("echo 'BEGIN { nosuchthing }' | " + tracelet_binary() + " -", &out);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("stdin:1:9: error:"), std::string::npos) << out;
  EXPECT_NE(out.find("        ^"), std::string::npos) << out;
}

TEST(CliOptions, VersionNamesBpftraceWhenInstalledAsBpftrace) {
  // Scripts gate features on `bpftrace --version` (bpftrace's own runtime tests expect
  // "^bpftrace v\\d"): installed as a link named bpftrace, tracelet names the release whose
  // language it follows, and itself.
  std::string out;
  ASSERT_EQ(shell(quoted(tracelet_binary()) + " --version", &out), 0) << out;
  EXPECT_EQ(out.rfind("tracelet v", 0), 0u) << out;
  char dir_template[] = "/tmp/tl-version-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string link = std::string(dir_template) + "/bpftrace";
  ASSERT_EQ(symlink(tracelet_binary().c_str(), link.c_str()), 0);
  out.clear();
  int status = shell(quoted(link) + " --version", &out);
  unlink(link.c_str());
  rmdir(dir_template);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(out.rfind("bpftrace v0.17.0 (tracelet v", 0), 0u) << out;
}

TEST(CliOptions, VerboseShowsEachProgramsIdAndVerifierCount) {
  // bpftrace -v shows each program's id and the verifier's "processed N insns (limit
  // 1000000)": how close a probe is to the limit.
  REQUIRE_BPF();
  auto r = run_tracelet({"-v", "--dry-run", "-e",
                         "BEGIN { @a = 1; } tracepoint:syscalls:sys_enter_getppid { @[comm] = "
                         "count(); } END { print(@a); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::regex line(R"(tracelet: loaded (\S+) \(program id [1-9][0-9]*\): ([1-9][0-9]*) )"
                  R"(instructions, the verifier processed ([1-9][0-9]*) \(limit 1000000\)\n)");
  std::vector<std::string> probes;
  for (std::sregex_iterator it(r.err.begin(), r.err.end(), line), end; it != end; ++it)
    probes.push_back((*it)[1]);
  EXPECT_EQ(probes,
            (std::vector<std::string>{"BEGIN", "tracepoint:syscalls:sys_enter_getppid", "END"}))
      << r.err;
  auto quiet = run_tracelet({"--dry-run", "-e", "BEGIN { exit(); }"});
  EXPECT_EQ(quiet.err.find("tracelet: loaded"), std::string::npos) << quiet.err;
}

TEST(CliOptions, BundledShortOptions) {
  REQUIRE_BPF();
  // -q and -e in one argument: no "Attaching" line, the program runs.
  auto r = run_tracelet({"-qe", R"(BEGIN { printf("bundled\n"); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.find("Attaching"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bundled\n"), std::string::npos) << r.out;
  // -f's value glued to it, after -q: JSON output.
  r = run_tracelet({"-qfjson", "-e", R"(BEGIN { printf("j\n"); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find(R"({"type": "printf", "data": "j\n"})"), std::string::npos) << r.out;
  // -ve: verbose as well.
  r = run_tracelet({"-ve", R"(BEGIN { printf("v\n"); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("v\n"), std::string::npos) << r.out;
}

TEST(CliOptions, PidOfNoProcessIsAnError) {
  REQUIRE_BPF();
  int links_before = count_bpf_links();
  // Above the kernel's largest pid_max (2^22): never a live process.
  auto r = run_tracelet({"-p", "2000000000", "-e", R"(BEGIN { printf("ran\n"); exit(); })"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "tracelet: error: -p 2000000000: no such process\n");
  EXPECT_EQ(r.out.find("ran"), std::string::npos) << r.out;
  EXPECT_EQ(count_bpf_links(), links_before) << "links left attached";
}

// bpftrace's getopt permutes: options may follow the file name and its arguments, and `--`
// passes an argument that looks like an option (outputs as bpftrace 0.17 prints them).
TEST(CliOptions, OptionsAfterTheFileName) {
  REQUIRE_BPF();
  std::string path = "/tmp/tracelet-cli-options-" + std::to_string(getpid()) + ".bt";
  {
    std::ofstream f(path);
    f << "BEGIN { printf(\"%s\\n\", str($1)); exit(); }\n";
  }
  auto json = run_tracelet({path, "hello", "-f", "json"});
  auto quiet = run_tracelet({path, "-q", "hi"});
  auto dashed = run_tracelet({path, "--", "-5"});
  auto unknown = run_tracelet({path, "-5"});
  std::remove(path.c_str());
  EXPECT_EQ(json.exit_status, 0) << json.err;
  EXPECT_EQ(json.out.rfind("{\"type\": \"attached_probes\", \"data\": {\"probes\": 1}}\n"
                           "{\"type\": \"printf\", \"data\": \"hello\\n\"}\n",
                           0),
            0u)
      << json.out;
  EXPECT_EQ(quiet.exit_status, 0) << quiet.err;
  EXPECT_EQ(quiet.out.rfind("hi\n", 0), 0u) << quiet.out;
  EXPECT_EQ(dashed.exit_status, 0) << dashed.err;
  EXPECT_EQ(dashed.out.rfind("Attaching 1 probe...\n-5\n", 0), 0u) << dashed.out;
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_NE(unknown.err.find("unknown option '-5'"), std::string::npos) << unknown.err;
}

// As bpftrace 0.17: once the -p process exits, END runs, maps print and tracelet exits 0.
TEST(CliOptions, ExitOfThePidProcessEndsTheRun) {
  REQUIRE_BPF();
  std::string pid;
  // A grandchild (re-parented once sh exits), so that nobody here has to reap it.
  ASSERT_EQ(shell("sleep 2 & echo $!", &pid), 0);
  pid.erase(pid.find_last_not_of('\n') + 1);
  auto started = std::chrono::steady_clock::now();
  auto r = run_tracelet(
      {"-p", pid, "-e", R"(interval:s:60 { exit(); } END { @n = 7; printf("end\n"); })"});
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("end\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@n: 7\n"), std::string::npos) << r.out;
  EXPECT_LT(seconds, 15) << "the run outlived the traced process";
}

// An error found while lowering the program (codegen/located_error.h) is printed as the passes
// print theirs, and nothing runs.
TEST(CliErrors, CodegenErrorHasLocationSourceLineAndCaret) {
  auto r = run_tracelet({"-e", "BEGIN { @h[1] = lhist(5, 0, 9000000, 1);\n  delete(@h[1]); "
                               "printf(\"ran\\n\"); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "stdin:2:3: error: delete() of one key of an lhist() map with more than "
                   "8388608 buckets (this one has 9000002)\n"
                   "  delete(@h[1]); printf(\"ran\\n\"); }\n"
                   "  ^~~~~~~~~~~~~\n");
}

TEST(CliOptions, ListPatternWithInvalidCharacterIsAnError) {
  for (const char* pattern : {"tracepoint:sys$calls:*", "kprobe:f(x)", "tracepoint:a;b:*"}) {
    auto r = run_tracelet({"-l", pattern});
    EXPECT_EQ(r.exit_status, 1) << pattern;
    EXPECT_EQ(r.out, "") << pattern;
    EXPECT_NE(r.err.find("error: invalid character"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(std::string(pattern) + "\n"), std::string::npos) << r.err;
  }
  auto ok = run_tracelet({"-l", "tracepoint:syscalls:sys_enter_openat"});
  EXPECT_EQ(ok.exit_status, 0) << ok.err;
  EXPECT_EQ(ok.out, "tracepoint:syscalls:sys_enter_openat\n");
}

TEST(CliInfo, SectionsAndAgreementWithBpftrace) {
  REQUIRE_BPF();
  auto r = run_tracelet({"--info"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  for (const char* title : {"System", "Build", "Kernel helpers", "Kernel features", "Map types",
                            "Probe types", "Attach"})
    EXPECT_NE(("\n" + r.out).find(std::string("\n") + title + "\n"), std::string::npos)
        << title << " missing:\n"
        << r.out;
  EXPECT_NE(r.out.find("  LLVM: 14."), std::string::npos) << r.out;
  EXPECT_EQ(info_section(r.out, "Kernel features")["btf"], "yes"); // REQUIRE_BPF checked it
  // Where bpftrace 0.17 reports the same feature, the answer is the same.
  std::string reference;
  if (shell("bpftrace --info", &reference) != 0 ||
      reference.find("Kernel helpers") == std::string::npos)
    GTEST_SKIP() << "bpftrace --info is not available to compare with";
  // Every line bpftrace prints, we print too (test harnesses grep for them, e.g. "uprobe
  // refcount (depends on Build:bcc bpf_attach_uprobe refcount): yes"); where it reports the
  // kernel, the answer is the same.
  int compared = 0;
  for (const char* title :
       {"Build", "Kernel helpers", "Kernel features", "Map types", "Probe types"}) {
    auto ours = info_section(r.out, title);
    for (const auto& [name, value] : info_section(reference, title)) {
      auto it = ours.find(name);
      EXPECT_NE(it, ours.end()) << title << ": no line for " << name;
      if (it == ours.end() || std::string(title) == "Build" || std::string(title) == "Probe types")
        continue;
      EXPECT_EQ(it->second, value) << title << ": " << name;
      ++compared;
    }
  }
  EXPECT_EQ(info_section(r.out, "Build")["libdw (DWARF support)"], "yes");
  EXPECT_GE(compared, 15) << "too few features in common with bpftrace --info:\n" << reference;
}

TEST(CliEnvironment, NotifyProbesAttachedForTestHarnesses) {
  // bpftrace's runtime test engine sets __BPFTRACE_NOTIFY_PROBES_ATTACHED and starts the
  // workload when the line arrives (stderr): after "Attaching", before BEGIN's output.
  REQUIRE_BPF();
  std::string out;
  int status = shell("__BPFTRACE_NOTIFY_PROBES_ATTACHED=1 " + quoted(tracelet_binary()) +
                         " -e 'BEGIN { printf(\"begin\\n\"); exit(); }'",
                     &out);
  ASSERT_EQ(status, 0) << out;
  auto attaching = out.find("Attaching 1 probe...\n");
  auto notify = out.find("__BPFTRACE_NOTIFY_PROBES_ATTACHED\n");
  auto begin = out.find("begin\n");
  ASSERT_NE(attaching, std::string::npos) << out;
  ASSERT_NE(notify, std::string::npos) << out;
  ASSERT_NE(begin, std::string::npos) << out;
  EXPECT_LT(attaching, notify) << out;
  EXPECT_LT(notify, begin) << out;
  // Without the variable, nothing extra.
  auto plain = run_tracelet({"-e", "BEGIN { exit(); }"});
  EXPECT_EQ(plain.err.find("__BPFTRACE_NOTIFY"), std::string::npos) << plain.err;
}

TEST(CliEnvironment, MaxProbesStopsAWildcardAtOnce) {
  REQUIRE_BPF();
  auto listed = run_tracelet({"-l", "tracepoint:syscalls:*"});
  size_t count = 0;
  for (char c : listed.out)
    count += c == '\n';
  ASSERT_GT(count, 512u) << "this kernel has too few syscall tracepoints for the test";
  auto start = std::chrono::steady_clock::now();
  auto r = run_tracelet({"-e", "tracepoint:syscalls:* { @[probe] = count(); }"});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("stdin:1:1: error: 'tracepoint:syscalls:*' expands to " +
                       std::to_string(count) +
                       " probes, more than the limit of 512 "
                       "(BPFTRACE_MAX_PROBES)"),
            std::string::npos)
      << r.err;
  EXPECT_LT(took, std::chrono::seconds(5)) << "the limit must stop the run before codegen";
  // A lower BPFTRACE_MAX_BPF_PROGS is named instead.
  ScopedEnv env("BPFTRACE_MAX_BPF_PROGS", "3");
  r = run_tracelet({"-e", "tracepoint:syscalls:sys_enter_open* { }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("more than the limit of 3 (BPFTRACE_MAX_BPF_PROGS)"), std::string::npos)
      << r.err;
}

TEST(CliEnvironment, StrlenCutsStringsReadByProbes) {
  REQUIRE_BPF();
  ScopedEnv env("BPFTRACE_STRLEN", "16");
  std::string path = "/tmp/tracelet-cli-strlen-" + std::to_string(getpid());
  auto r = trace_while(R"(tracepoint:syscalls:sys_enter_openat /comm == "tl_workload"/
                          { printf("<%s>\n", str(args.filename)); })",
                       {workload_binary(), "open", path});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("<" + path.substr(0, 15) + ">\n"), std::string::npos) << r.out;
}

TEST(CliEnvironment, PerfRbPagesSizesThePerfBuffers) {
  REQUIRE_BPF();
  for (const char* pages : {"8", "64"}) {
    ScopedEnv env("BPFTRACE_PERF_RB_PAGES", pages);
    std::string marker = "cli-rb-" + std::to_string(getpid()) + "-" + pages;
    std::vector<size_t> sizes;
    auto r = trace_while("// " + marker, [&] {
      int pid = find_process_with(marker);
      std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
      std::string line;
      while (std::getline(maps, line)) {
        if (line.find("perf_event") == std::string::npos) continue;
        unsigned long lo = 0, hi = 0;
        if (std::sscanf(line.c_str(), "%lx-%lx", &lo, &hi) == 2) sizes.push_back(hi - lo);
      }
    });
    EXPECT_EQ(r.exit_status, 0) << r.err;
    ASSERT_FALSE(sizes.empty()) << "no perf buffer mapping found";
    size_t expected = (std::stoul(pages) + 1) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
    for (size_t s : sizes)
      EXPECT_EQ(s, expected) << "BPFTRACE_PERF_RB_PAGES=" << pages;
  }
}

TEST(CliEnvironment, NoCppDemangleKeepsMangledNames) {
  REQUIRE_BPF();
  std::string target = TL_CPP_TARGET;
  for (const char* setting : {"0", "1"}) {
    ScopedEnv env("BPFTRACE_NO_CPP_DEMANGLE", setting);
    auto r = trace_until_exit("uprobe:" + target +
                                  R"(:_ZN2tl4workEi { printf("%s|\n", ustack(1)); exit(); })",
                              {target, "20"});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    std::string expected = std::string(setting) == "1" ? "_ZN2tl4workEi+0" : "tl::work(int)+0";
    EXPECT_NE(r.out.find("        " + expected + "\n"), std::string::npos)
        << "BPFTRACE_NO_CPP_DEMANGLE=" << setting << ":\n"
        << r.out;
  }
}

TEST(CliEnvironment, LogSizeBoundsTheVerifierLog) {
  REQUIRE_BPF();
  // -v asks the verifier for its log (as bpftrace -v); 10 bytes cannot hold it, and the run
  // stops with the variable named, before anything is attached (bpftrace 0.17 fails too).
  int links_before = count_bpf_links();
  {
    ScopedEnv env("BPFTRACE_LOG_SIZE", "10");
    auto r = run_tracelet({"-v", "-e", R"(BEGIN { printf("ran\n"); exit(); })"});
    EXPECT_EQ(r.exit_status, 1);
    EXPECT_NE(r.err.find("the verifier log does not fit in BPFTRACE_LOG_SIZE=10 bytes"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out.find("ran"), std::string::npos) << r.out;
  }
  EXPECT_EQ(count_bpf_links(), links_before) << "links left attached";
  ScopedEnv env("BPFTRACE_LOG_SIZE", "100000");
  auto r = run_tracelet({"-v", "-e", R"(BEGIN { printf("ran\n"); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("ran\n"), std::string::npos) << r.out;
}
