// bpftrace's own tools (Debian ships 38 in /usr/sbin/*.bt), run unmodified, each with the
// outcome it must reach on this kernel (6.18: tracepoints, uprobes and perf events attach;
// kprobes do not exist and fentry is refused):
//   Runs        attaches, runs about a second and exits 0 on SIGINT; with a workload, its
//               output must match a regex that shows what the workload did.
//   DryRun      needs kprobe/kretprobe/fentry/fexit: `--dry-run` must load every program into
//               the verifier and exit 0.
//   Unrunnable  something outside tracelet stops it: SKIPPED with that reason.
// A tool that misses its outcome FAILS. A second test checks the table against the installed
// tools, and Runs/DryRun against the probes each tool uses.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace tracelet::test;

namespace {

enum class Outcome { Runs, DryRun, Unrunnable };

struct ToolCase {
  const char* name;
  Outcome outcome;
  // Runs while the tool is attached (nullptr: none); `scratch` is a path of this test's own.
  std::function<void(const std::string& scratch)> workload = nullptr;
  // What the output must then contain (ECMAScript regex), nullptr: nothing checked.
  const char* expect_regex = nullptr;
  // How long the tool keeps running after the workload (interval tools need their tick).
  int after_ms = 700;
  const char* unrunnable_reason = nullptr;
  // A kernel that lacks what the tool needs: returns why ("" when the tool can run here). Then
  // tracelet must stop it with `refusal` on stderr, and the test is SKIPPED with the reason.
  std::function<std::string()> missing_here = nullptr;
  const char* refusal = nullptr;
};

// loads.bt reads `avenrun` through kaddr(): a data symbol, listed in /proc/kallsyms only by
// kernels built with CONFIG_KALLSYMS_ALL (and in no BTF).
std::string avenrun_missing() {
  std::ifstream kallsyms("/proc/kallsyms");
  for (std::string addr, kind, name; kallsyms >> addr >> kind >> name;) {
    if (name == "avenrun") return "";
    kallsyms.ignore(1 << 20, '\n'); // a module name may follow
  }
  return "this kernel's /proc/kallsyms has no data symbols (built without CONFIG_KALLSYMS_ALL), "
         "so kaddr(\"avenrun\") has no address; bpftrace 0.17 fails the same way";
}

std::string tool_path(const std::string& name) {
  return "/usr/sbin/" + name + ".bt";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Whether the tool has a kprobe/kretprobe/fentry/fexit (or kfunc) probe: those cannot attach
// on this kernel, so the tool is checked with --dry-run.
bool needs_kernel_function_probes(const std::string& text) {
  static const std::regex probe(
      R"((^|\n|,)\s*(kprobe|kretprobe|kfunc|kretfunc|fentry|fexit|k|kr|f|fr):)");
  return std::regex_search(text, probe);
}

void workload(std::vector<std::string> args) {
  args.insert(args.begin(), workload_binary());
  run_command(args);
}

// Times as bpftrace's time("%H:%M:%S") prints them.
#define HMS R"(\d\d:\d\d:\d\d)"

const std::vector<ToolCase>& tools() {
  static const std::vector<ToolCase> table = {
      {"bashreadline", Outcome::Runs}, // readline runs only in a bash on a terminal
      {"biolatency", Outcome::DryRun},
      {"biosnoop", Outcome::DryRun},
      {"biostacks", Outcome::DryRun},
      {"bitesize", Outcome::Runs,
       [](auto& f) {
         workload({"directio", f});
       },
       R"(@\[tl_workload\]: \n(\[\d+[KM]?, \d+[KM]?\)\s+\d+ \|[@ ]+\|\n)+)"},
      {"capable", Outcome::DryRun},
      {"cpuwalk", Outcome::Runs,
       [](auto&) {
         workload({"spin", "300"});
       },
       // Samples land on whichever CPUs ran something: any bucket, not necessarily CPU 0's.
       R"(@cpu: \n(\[\d+, \d+\)\s+\d+ \|@*\s*\|\n)*\[\d+, \d+\)\s+[1-9]\d* \|@)"},
      {"dcsnoop", Outcome::DryRun},
      {"execsnoop", Outcome::Runs,
       [](auto&) {
         workload({"sleep", "1"});
       },
       R"(\n\d+\s+\d+\s+\S*tl_workload sleep 1\n)", 700},
      {"gethostlatency", Outcome::Runs,
       [](auto&) {
         workload({"resolve", "localhost"});
       },
       HMS R"(  \d+\s+tl_workload\s+\d+ localhost\n)"},
      {"killsnoop", Outcome::Runs,
       [](auto&) {
         workload({"kill", "0"});
       },
       HMS R"(  (\d+)\s+tl_workload\s+0\s+\1\s+0\n)"},
      {"loads", Outcome::Runs, nullptr, HMS R"( load averages: \d+\.\d{3} \d+\.\d{3} \d+\.\d{3}\n)",
       1500, nullptr, avenrun_missing,
       "/usr/sbin/loads.bt:31:19: error: kaddr(\"avenrun\"): no kernel symbol 'avenrun' in "
       "/proc/kallsyms"},
      {"mdflush", Outcome::DryRun},
      {"naptime", Outcome::Runs,
       [](auto&) {
         workload({"nanosleep", "100"});
       },
       HMS R"( \d+\s+\S+\s+\d+\s+tl_workload\s+0\.100\n)"},
      {"oomkill", Outcome::DryRun},
      {"opensnoop", Outcome::Runs,
       [](auto& f) {
         workload({"open", f});
       },
       R"(\n\d+\s+tl_workload\s+-1\s+2 /tmp/tracelet-tools-\d+\n)"},
      {"pidpersec", Outcome::Runs,
       [](auto&) {
         workload({"fork", "3"});
       },
       HMS R"( PIDs/sec: @: [1-9]\d*\n)", 1500},
      {"runqlat", Outcome::Runs,
       [](auto&) {
         workload({"spin", "200"});
       },
       R"(@usecs: \n(\[[^\n]*\s\d+ \|[@ ]+\|\n)+)"},
      {"runqlen", Outcome::Runs, nullptr, R"(@runqlen: \n\[0, 1\)\s+\d+ \|)"},
      {"setuids", Outcome::Runs,
       [](auto&) {
         workload({"setuid", "0"});
       },
       HMS R"( \d+\s+tl_workload\s+0\s+setuid\s+uid=0 \(0\)\n)"},
      {"ssllatency", Outcome::Runs},
      {"sslsnoop", Outcome::Runs},
      {"statsnoop", Outcome::Runs,
       [](auto& f) {
         workload({"statx", f});
       },
       R"(\n\d+\s+tl_workload\s+2 /tmp/tracelet-tools-\d+\n)"},
      {"swapin", Outcome::DryRun},
      {"syncsnoop", Outcome::Runs,
       [](auto& f) {
         workload({"fsync", f});
       },
       HMS R"(  \d+\s+tl_workload\s+tracepoint:syscalls:sys_enter_fsync\n)"},
      // 5000 getppid() (110 on x86_64): among the top 10 syscalls and processes it prints.
      {"syscount", Outcome::Runs,
       [](auto&) {
         workload({"getppid", "5000"});
       },
       R"(@syscall\[110\]: [5-9]\d{3,}\n[\s\S]*@process\[tl_workload\]: [5-9]\d{3,}\n)"},
      {"tcpaccept", Outcome::DryRun},
      {"tcpconnect", Outcome::DryRun},
      {"tcpdrop", Outcome::Runs}, // no drop to provoke without disturbing the machine
      {"tcplife", Outcome::DryRun},
      {"tcpretrans", Outcome::DryRun},
      {"tcpsynbl", Outcome::DryRun},
      {"threadsnoop", Outcome::Runs,
       [](auto&) {
         workload({"thread", "2"});
       },
       R"(\n\d+\s+\d+\s+tl_workload\s+tl_thread_main\n)"},
      {"undump", Outcome::DryRun},
      {"vfscount", Outcome::DryRun},
      {"vfsstat", Outcome::DryRun},
      // Dirty pages of our own, then sync(): the flusher writes them back with reason "sync".
      {"writeback", Outcome::Runs,
       [](auto& f) {
         run_command({"dd", "if=/dev/zero", "of=" + f, "bs=1M", "count=8", "status=none"});
         run_command({"sync"});
       },
       // Whether the flusher writes these pages back within the run is the kernel's choice (about
       // one run in two here shows no line), so only the header is required.
       R"(TIME\s+DEVICE\s+PAGES\s+REASON\s+ms\n)", 1500},
      {"xfsdist", Outcome::DryRun},
  };
  return table;
}

// What a failure shows of a long output: its start, every line that names the workload or
// reports lost events, and its end.
std::string excerpt(const std::string& text) {
  if (text.size() <= 3000) return text;
  std::string out = text.substr(0, 1500) + "\n[...]\n";
  std::istringstream lines(text.substr(1500, text.size() - 2500));
  std::string line;
  while (std::getline(lines, line))
    if (line.find("tl_workload") != std::string::npos || line.find("Lost ") == 0)
      out += line + "\n";
  return out + "[...]\n" + text.substr(text.size() - 1000);
}

// gtest names a failing parameter by this, not by a byte dump.
void PrintTo(const ToolCase& tool, std::ostream* os) {
  *os << tool.name;
}

class Tool : public ::testing::TestWithParam<ToolCase> {};

TEST_P(Tool, ReachesItsRequiredOutcome) {
  REQUIRE_BPF();
  const ToolCase& tool = GetParam();
  std::string path = tool_path(tool.name);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) GTEST_SKIP() << path << " is not installed";
  if (tool.outcome == Outcome::Unrunnable) GTEST_SKIP() << tool.unrunnable_reason;
  if (tool.missing_here) {
    if (std::string why = tool.missing_here(); !why.empty()) {
      auto r = run_tracelet({"--dry-run", path});
      EXPECT_EQ(r.exit_status, 1) << r.err;
      EXPECT_NE(r.err.find(tool.refusal), std::string::npos) << r.err;
      GTEST_SKIP() << why;
    }
  }

  if (tool.outcome == Outcome::DryRun) {
    auto r = run_tracelet({"--dry-run", path});
    EXPECT_EQ(r.exit_status, 0) << "--dry-run must verify every program:\n" << r.err;
    return;
  }

  std::string scratch = "/tmp/tracelet-tools-" + std::to_string(::getpid());
  RunSpec spec;
  spec.args = {path};
  spec.ready_marker = "Attaching";
  spec.workload = [&] {
    // BEGIN's output follows "Attaching"; give the tool a moment, as a user would.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (tool.workload) tool.workload(scratch);
    std::this_thread::sleep_for(std::chrono::milliseconds(tool.after_ms));
  };
  spec.stop_signal = SIGINT;
  spec.timeout = std::chrono::milliseconds(60000);
  auto r = run_tracelet(spec);
  ::unlink(scratch.c_str());
  ASSERT_NE(r.out.find("Attaching"), std::string::npos) << "did not attach:\n" << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_FALSE(r.timed_out);
  if (tool.expect_regex)
    EXPECT_TRUE(std::regex_search(r.out, std::regex(tool.expect_regex)))
        << "output lacks /" << tool.expect_regex << "/:\n"
        << excerpt(r.out) << "\nstderr:\n"
        << excerpt(r.err);
}

INSTANTIATE_TEST_SUITE_P(BpftraceTools, Tool, ::testing::ValuesIn(tools()),
                         [](const ::testing::TestParamInfo<ToolCase>& info) {
                           return std::string(info.param.name);
                         });

// The table is complete (every installed tool has a required outcome) and honest (DryRun
// exactly for the tools that need probes this kernel cannot attach).
TEST(BpftraceToolsTable, CoversEveryInstalledToolWithTheRightKindOfOutcome) {
  std::vector<std::string> installed;
  if (DIR* dir = ::opendir("/usr/sbin")) {
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (n.size() > 3 && n.compare(n.size() - 3, 3, ".bt") == 0)
        installed.push_back(n.substr(0, n.size() - 3));
    }
    ::closedir(dir);
  }
  if (installed.empty()) GTEST_SKIP() << "bpftrace's tools are not installed in /usr/sbin";
  std::sort(installed.begin(), installed.end());
  std::vector<std::string> listed;
  for (const auto& t : tools())
    listed.push_back(t.name);
  EXPECT_EQ(listed, installed);
  for (const auto& t : tools()) {
    std::string text = read_text(tool_path(t.name));
    if (text.empty() || t.outcome == Outcome::Unrunnable) continue;
    EXPECT_EQ(t.outcome == Outcome::DryRun, needs_kernel_function_probes(text)) << t.name;
  }
}

} // namespace
