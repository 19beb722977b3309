// Differential tests (issue 3): every program in tests/differential/cases runs under the
// reference bpftrace and under tracelet; their stdout must match byte for byte. The cases are
// deterministic (BEGIN/END/interval only), so any difference is a behaviour difference.
//
// Case files may start with comment lines that configure the run:
//   // args: 5 hello      positional parameters passed to both tools
//   // env: NAME=VALUE    environment variables set for both tools (BPFTRACE_STRLEN=10 ...)
//   // options: -f json   command-line options given to both tools before the program
//   // expect: error      bpftrace rejects the program; tracelet must reject it too (only the
//                         exit statuses are compared)
//   // options: -I include   options given to both tools before the program file
// Both tools run in the cases directory, so `#include "include/x.h"`, `-I include` and
// `--include include/x.h` find the headers in cases/include/.
// tests/differential/known-differences.txt lists `NNN-name.bt: reason` for cases where
// tracelet knowingly differs: they are skipped with the reason, and fail once they match.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace tracelet::test;
namespace fs = std::filesystem;

namespace {

constexpr int kTimeoutSeconds = 10;

const fs::path kDifferentialDir = fs::path(TRACELET_SOURCE_DIR) / "tests" / "differential";

struct DiffCase {
  std::string file_name; // e.g. "001-printf-basic.bt"
  fs::path path;
};

// Lets GoogleTest name the case in its messages instead of dumping bytes.
void PrintTo(const DiffCase& c, std::ostream* os) {
  *os << c.file_name;
}

std::vector<DiffCase> discover_cases() {
  std::vector<DiffCase> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kDifferentialDir / "cases", ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".bt")
      cases.push_back({entry.path().filename().string(), entry.path()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const DiffCase& a, const DiffCase& b) { return a.file_name < b.file_name; });
  return cases;
}

// GoogleTest names allow only [A-Za-z0-9_]: "001-printf-basic.bt" -> "001_printf_basic".
std::string test_name_for(const std::string& file_name) {
  std::string stem = fs::path(file_name).stem().string();
  for (char& c : stem)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return stem;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct CaseOptions {
  std::vector<std::string> options; // before the program file
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  bool expect_error = false;
};

// Sets the case's environment variables for the children of this process while it lives.
class ScopedEnv {
public:
  explicit ScopedEnv(const std::vector<std::pair<std::string, std::string>>& vars) {
    for (const auto& [name, value] : vars) {
      const char* old = std::getenv(name.c_str());
      saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
      setenv(name.c_str(), value.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, old] : saved_) {
      if (old)
        setenv(name.c_str(), old->c_str(), 1);
      else
        unsetenv(name.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// Reads the leading `// key: value` comment lines of a case.
CaseOptions read_case_options(const fs::path& path) {
  CaseOptions o;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.rfind("//", 0) != 0) break;
    std::string body = trim(line.substr(2));
    if (body.rfind("args:", 0) == 0) {
      std::istringstream words(body.substr(5));
      for (std::string w; words >> w;)
        o.args.push_back(w);
    } else if (body.rfind("options:", 0) == 0) {
      std::istringstream words(body.substr(8));
      for (std::string w; words >> w;)
        o.options.push_back(w);
    } else if (body.rfind("env:", 0) == 0) {
      std::istringstream words(body.substr(4));
      for (std::string w; words >> w;) {
        size_t eq = w.find('=');
        if (eq != std::string::npos) o.env.emplace_back(w.substr(0, eq), w.substr(eq + 1));
      }
    } else if (body.rfind("options:", 0) == 0) {
      std::istringstream words(body.substr(8));
      for (std::string w; words >> w;)
        o.options.push_back(w);
    } else if (body == "expect: error") {
      o.expect_error = true;
    }
  }
  return o;
}

// known-differences.txt: `NNN-name.bt: reason` per line; blank lines and '#' lines ignored.
std::map<std::string, std::string> read_known_differences() {
  std::map<std::string, std::string> known;
  std::ifstream in(kDifferentialDir / "known-differences.txt");
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    known[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  return known;
}

std::string find_in_path(const std::string& program) {
  const char* path_env = std::getenv("PATH");
  std::istringstream dirs(path_env ? path_env : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// The reference implementation: $TRACELET_REFERENCE_BPFTRACE, else bpftrace from PATH.
std::string reference_bpftrace() {
  if (const char* env = std::getenv("TRACELET_REFERENCE_BPFTRACE"); env && *env) return env;
  return find_in_path("bpftrace");
}

struct Output {
  int exit_status = -1;
  std::string out;
  std::string err;
  bool timed_out = false;
};

bool tracefs_mounted() {
  return access("/sys/kernel/tracing/events", F_OK) == 0 ||
         access("/sys/kernel/debug/tracing/events", F_OK) == 0;
}

Output run_reference(const std::string& bpftrace, const DiffCase& c, const CaseOptions& o) {
  std::string timeout_tool = find_in_path("timeout");
  std::vector<std::string> argv;
  if (!timeout_tool.empty())
    argv = {timeout_tool, "--kill-after=2", std::to_string(kTimeoutSeconds)};
  if (!tracefs_mounted()) {
    // bpftrace 0.17 finds tracepoints only in a mounted tracefs (tracelet mounts its own,
    // privately): on a machine without one, the reference gets one in a mount namespace of its
    // own, so the machine's mounts stay as they are.
    argv.insert(argv.end(), {"unshare", "--mount", "--propagation", "private", "sh", "-c",
                             "mount -t tracefs nodev /sys/kernel/tracing && exec \"$@\"", "sh"});
  }
  argv.push_back(bpftrace);
  argv.insert(argv.end(), o.options.begin(), o.options.end());
  argv.push_back(c.path.string());
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  Output r;
  r.exit_status = run_command(argv, &r.out);
  r.timed_out = r.exit_status == 124 || r.exit_status == 137; // timeout(1)'s statuses
  return r;
}

Output run_candidate(const DiffCase& c, const CaseOptions& o) {
  RunSpec spec;
  spec.args = o.options;
  spec.args.push_back(c.path.string());
  spec.args.insert(spec.args.end(), o.args.begin(), o.args.end());
  spec.timeout = std::chrono::seconds(kTimeoutSeconds);
  RunResult rr = run_tracelet(spec);
  return {rr.exit_status, rr.out, rr.err, rr.timed_out};
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::string cur;
  for (char ch : s) {
    if (ch == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(ch);
    }
  }
  if (!cur.empty()) lines.push_back(cur + "\\ (no newline at end)");
  return lines;
}

// A unified-style line diff (LCS based; outputs here are small), 3 lines of context.
std::string unified_diff(const std::string& expected, const std::string& actual) {
  std::vector<std::string> a = split_lines(expected), b = split_lines(actual);
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);

  struct Line {
    char tag; // ' ', '-', '+'
    std::string text;
    size_t a_line, b_line; // 1-based position in each side when the line is emitted
  };
  std::vector<Line> script;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.push_back({' ', a[i], i + 1, j + 1});
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      script.push_back({'-', a[i], i + 1, j + 1}); // deletions first, as diff -u does
      ++i;
    } else {
      script.push_back({'+', b[j], i + 1, j + 1});
      ++j;
    }
  }

  constexpr size_t kContext = 3;
  std::ostringstream out;
  out << "--- bpftrace (expected)\n+++ tracelet (actual)\n";
  size_t k = 0;
  while (k < script.size()) {
    if (script[k].tag == ' ') {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext lines after the last change
    // that is within 2*kContext unchanged lines of the previous one.
    size_t start = k >= kContext ? k - kContext : 0;
    size_t end = k;
    size_t last_change = k;
    while (end < script.size()) {
      if (script[end].tag != ' ')
        last_change = end;
      else if (end - last_change > 2 * kContext)
        break;
      ++end;
    }
    end = std::min(script.size(), last_change + kContext + 1);
    size_t a_count = 0, b_count = 0;
    for (size_t t = start; t < end; ++t) {
      a_count += script[t].tag != '+';
      b_count += script[t].tag != '-';
    }
    out << "@@ -" << script[start].a_line << "," << a_count << " +" << script[start].b_line << ","
        << b_count << " @@\n";
    for (size_t t = start; t < end; ++t)
      out << script[t].tag << script[t].text << "\n";
    k = end;
  }
  return out.str();
}

class Differential : public ::testing::TestWithParam<DiffCase> {};

TEST_P(Differential, MatchesBpftrace) {
  const DiffCase& c = GetParam();
  std::string bpftrace = reference_bpftrace();
  if (bpftrace.empty())
    GTEST_SKIP() << "bpftrace is not installed (not in PATH and TRACELET_REFERENCE_BPFTRACE "
                    "unset): no reference to compare against";
  REQUIRE_BPF();

  CaseOptions options = read_case_options(c.path);
  auto known = read_known_differences();
  auto known_it = known.find(c.file_name);

  ScopedEnv env(options.env);
  ScopedCwd cwd(kDifferentialDir / "cases");
  Output expected = run_reference(bpftrace, c, options);
  ASSERT_FALSE(expected.timed_out)
      << "bpftrace did not finish " << c.file_name << " within " << kTimeoutSeconds << " s";
  Output actual = run_candidate(c, options);
  ASSERT_FALSE(actual.timed_out) << "tracelet did not finish " << c.file_name << " within "
                                 << kTimeoutSeconds << " s; stdout so far:\n"
                                 << actual.out << "stderr:\n"
                                 << actual.err;

  bool matches;
  std::string mismatch;
  if (options.expect_error) {
    ASSERT_NE(expected.exit_status, 0)
        << c.file_name << " is marked `expect: error` but bpftrace accepted and ran it";
    matches = actual.exit_status != 0;
    mismatch = "bpftrace rejects this program (exit " + std::to_string(expected.exit_status) +
               ") but tracelet accepted it (exit 0); tracelet stdout:\n" + actual.out;
  } else {
    ASSERT_EQ(expected.exit_status, 0)
        << "the reference bpftrace failed on " << c.file_name << "; stdout:\n"
        << expected.out;
    matches = actual.exit_status == 0 && actual.out == expected.out;
    mismatch = "tracelet exit status " + std::to_string(actual.exit_status) +
               " (bpftrace 0)\nstdout differs:\n" + unified_diff(expected.out, actual.out) +
               "tracelet stderr:\n" + actual.err;
  }

  if (known_it != known.end()) {
    if (matches)
      FAIL() << c.file_name << " now matches bpftrace: remove its line from "
             << "tests/differential/known-differences.txt (\"" << known_it->second << "\")";
    GTEST_SKIP() << "known difference: " << known_it->second;
  }
  EXPECT_TRUE(matches) << c.file_name << ": " << mismatch;
}

INSTANTIATE_TEST_SUITE_P(Cases, Differential, ::testing::ValuesIn(discover_cases()),
                         [](const ::testing::TestParamInfo<DiffCase>& info) {
                           return test_name_for(info.param.file_name);
                         });

// The suite is only worth something if it is there: guard against a moved or emptied folder.
TEST(DifferentialSuite, HasCases) {
  EXPECT_GE(discover_cases().size(), 150u) << "cases expected in " << kDifferentialDir / "cases";
}

// Every known difference must name an existing case, so stale lines do not pile up.
TEST(DifferentialSuite, KnownDifferencesNameExistingCases) {
  auto cases = discover_cases();
  for (const auto& [name, reason] : read_known_differences()) {
    bool exists = std::any_of(cases.begin(), cases.end(),
                              [&](const DiffCase& c) { return c.file_name == name; });
    EXPECT_TRUE(exists) << "known-differences.txt names " << name << ", which is not a case";
  }
}

} // namespace
