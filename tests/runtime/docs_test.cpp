// The documentation's examples are tests. Every example marked runnable in man/tracelet.8,
// docs/reference.md and docs/tutorial.md is one test case, named after its document and line
// (e.g. Docs/Example.tutorial_L42), so a failing case points at the example to fix.
//
// Markers:
//   man page:  a comment line `.\" example MODE` right before an `.EX` ... `.EE` block
//   markdown:  a fenced block whose info string is `console MODE` or `bt MODE`
// MODE is one of
//   run      run the commands for real (they must end by themselves) and compare stdout with
//            the output shown; a line `...` alone in the shown output matches any lines
//   dry-run  run each command with --dry-run added (compile, load into the verifier, attach
//            nothing); exit status 0; the output shown is that of a real run, not compared
//   error    run the commands and compare stderr with the output shown; exit status 1
// A console block holds commands (lines starting with "# tracelet", continued with a trailing
// backslash) each followed by its output. A bt block holds a whole program, written to a file
// and run as `tracelet [--dry-run] FILE`; in `bt run`, the next fenced block (```output) is the
// output shown.
//
// Besides: `tracelet --help` and the man page's OPTIONS list the same options, and
// `groff -man -ww -z man/tracelet.8` prints nothing.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

using tracelet::test::tracelet_binary;

const std::string kSourceDir = TRACELET_SOURCE_DIR;
constexpr std::chrono::seconds kCommandTimeout{90};

struct Command {
  std::string text;     // as shown, after "# "
  std::string expected; // output shown below it
};

struct DocExample {
  std::string name; // doc_Lline
  std::string doc;  // relative path
  int line = 0;
  std::string mode;          // run, dry-run, error
  std::string program;       // bt blocks: the script
  std::vector<Command> cmds; // console blocks
};

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  return lines;
}

// roff escapes used inside .EX blocks, back to the characters a user types.
std::string unroff(const std::string& s) {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"\\(aq", "'"},  {"\\(dq", "\""}, {"\\(ti", "~"}, {"\\(ha", "^"}, {"\\(ga", "`"},
      {"\\(rs", "\\"}, {"\\-", "-"},    {"\\&", ""},    {"\\e", "\\"},  {"\\fB", ""},
      {"\\fI", ""},    {"\\fR", ""},    {"\\fP", ""},   {"\\ ", " "},
  };
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool done = false;
    if (s[i] == '\\')
      for (const auto& [from, to] : table)
        if (s.compare(i, from.size(), from) == 0) {
          out += to;
          i += from.size();
          done = true;
          break;
        }
    if (!done) out += s[i++];
  }
  return out;
}

// "# tracelet ..." lines (with backslash continuations) and the output lines after each.
std::vector<Command> split_console(const std::vector<std::string>& body) {
  std::vector<Command> cmds;
  for (size_t i = 0; i < body.size(); ++i) {
    const std::string& l = body[i];
    if (l.rfind("# ", 0) == 0) {
      Command c;
      c.text = l.substr(2);
      // Continued by a trailing backslash or inside an open single-quoted program.
      auto open_quote = [](const std::string& t) {
        return std::count(t.begin(), t.end(), '\'') % 2;
      };
      while (i + 1 < body.size() &&
             ((!c.text.empty() && c.text.back() == '\\') || open_quote(c.text)))
        c.text += "\n" + body[++i];
      cmds.push_back(c);
    } else if (!cmds.empty()) {
      cmds.back().expected += l + "\n";
    }
  }
  return cmds;
}

std::string doc_label(const std::string& rel) {
  std::string base = rel.substr(rel.find_last_of('/') + 1);
  base = base.substr(0, base.find('.'));
  return base == "tracelet" ? "man" : base;
}

void add_example(std::vector<DocExample>& out, DocExample e, const std::vector<std::string>& body,
                 bool is_bt) {
  if (is_bt) {
    for (const auto& l : body)
      e.program += l + "\n";
  } else {
    e.cmds = split_console(body);
  }
  e.name = doc_label(e.doc) + "_L" + std::to_string(e.line);
  out.push_back(std::move(e));
}

void collect_markdown(const std::string& rel, std::vector<DocExample>& out) {
  auto lines = read_lines(kSourceDir + "/" + rel);
  for (size_t i = 0; i < lines.size(); ++i) {
    static const std::regex fence(R"(^```(console|bt) +(run|dry-run|error)\s*$)");
    std::smatch m;
    if (!std::regex_match(lines[i], m, fence)) continue;
    DocExample e;
    e.doc = rel;
    e.line = static_cast<int>(i + 1);
    e.mode = m[2];
    bool is_bt = m[1] == "bt";
    std::vector<std::string> body;
    for (++i; i < lines.size() && lines[i].rfind("```", 0) != 0; ++i)
      body.push_back(lines[i]);
    if (is_bt && e.mode == "run") {
      // The output shown is the next fenced block, ```output.
      size_t j = i + 1;
      while (j < lines.size() && lines[j].empty())
        ++j;
      Command c;
      if (j < lines.size() && lines[j] == "```output")
        for (++j; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j)
          c.expected += lines[j] + "\n";
      e.cmds.push_back(c);
    }
    add_example(out, std::move(e), body, is_bt);
  }
}

void collect_man(const std::string& rel, std::vector<DocExample>& out) {
  auto lines = read_lines(kSourceDir + "/" + rel);
  static const std::regex marker(R"(^\.\\" example (run|dry-run|error)\s*$)");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, marker)) continue;
    DocExample e;
    e.doc = rel;
    e.line = static_cast<int>(i + 1);
    e.mode = m[1];
    if (i + 1 >= lines.size() || lines[i + 1] != ".EX") {
      e.mode = "bad-marker"; // reported by the test: a marker must precede .EX
      add_example(out, std::move(e), {}, false);
      continue;
    }
    std::vector<std::string> body;
    for (i += 2; i < lines.size() && lines[i] != ".EE"; ++i)
      body.push_back(unroff(lines[i]));
    add_example(out, std::move(e), body, false);
  }
}

std::vector<DocExample> all_examples() {
  std::vector<DocExample> out;
  collect_man("man/tracelet.8", out);
  collect_markdown("docs/reference.md", out);
  collect_markdown("docs/tutorial.md", out);
  return out;
}

struct Output {
  int status = -1;
  std::string out, err;
  bool timed_out = false;
};

// Runs `script` with /bin/sh in the source directory (so scripts/hello.bt resolves), bounded in
// time: on timeout the whole process group gets SIGINT, then SIGKILL.
Output run_shell(const std::string& script, std::chrono::seconds timeout) {
  char out_path[] = "/tmp/tracelet_docs_out_XXXXXX";
  char err_path[] = "/tmp/tracelet_docs_err_XXXXXX";
  int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
  Output r;
  pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    if (chdir(kSourceDir.c_str()) != 0) _exit(126);
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(child, child);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool interrupted = false;
  while (waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      kill(-child, interrupted ? SIGKILL : SIGINT);
      interrupted = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  close(out_fd);
  close(err_fd);
  r.out = tracelet::test::read_file(out_path);
  r.err = tracelet::test::read_file(err_path);
  unlink(out_path);
  unlink(err_path);
  return r;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// "tracelet ARGS" as shown -> the built binary, with --dry-run first if asked.
std::string to_shell(const std::string& shown, bool dry_run) {
  std::string cmd = shown;
  if (cmd.rfind("tracelet", 0) != 0) return cmd;
  return shell_quote(tracelet_binary()) + (dry_run ? " --dry-run" : "") + cmd.substr(8);
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    v.push_back(l);
  for (auto& l : v) // trailing blanks are invisible in a document: not compared
    l.erase(l.find_last_not_of(" \t") + 1);
  while (!v.empty() && v.back().empty())
    v.pop_back();
  return v;
}

// Shown output against actual: equal line by line, where a line "..." matches any lines.
bool matches(const std::vector<std::string>& want, size_t wi, const std::vector<std::string>& got,
             size_t gi) {
  if (wi == want.size()) return gi == got.size();
  if (want[wi] == "...") {
    for (size_t k = gi; k <= got.size(); ++k)
      if (matches(want, wi + 1, got, k)) return true;
    return false;
  }
  return gi < got.size() && want[wi] == got[gi] && matches(want, wi + 1, got, gi + 1);
}

// Failures name the example by its document and line, not by its bytes.
void PrintTo(const DocExample& e, std::ostream* os) {
  *os << e.doc << ":" << e.line << " (" << e.mode << ")";
}

class Example : public testing::TestWithParam<DocExample> {};

TEST_P(Example, RunsAsShown) {
  const DocExample& e = GetParam();
  SCOPED_TRACE(e.doc + ":" + std::to_string(e.line) + " (" + e.mode + ")");
  ASSERT_NE(e.mode, "bad-marker") << "an `.\\\" example` marker must be followed by .EX";
  ASSERT_FALSE(e.program.empty() && e.cmds.empty()) << "example without a command";
  REQUIRE_BPF();
  bool dry = e.mode == "dry-run";
  std::vector<Command> cmds = e.cmds;
  // A bt block: the program in a file (removed however the test ends), run as `tracelet FILE`.
  struct TempFile {
    std::string path;
    ~TempFile() {
      if (!path.empty()) unlink(path.c_str());
    }
  } script;
  if (!e.program.empty()) {
    char path[] = "/tmp/tracelet_docs_XXXXXX.bt";
    int fd = mkstemps(path, 3);
    ASSERT_GE(fd, 0);
    script.path = path;
    ssize_t written = write(fd, e.program.data(), e.program.size());
    close(fd);
    ASSERT_EQ(written, static_cast<ssize_t>(e.program.size()));
    std::string expected = cmds.empty() ? "" : cmds.front().expected;
    cmds = {{"tracelet " + script.path, expected}};
  }
  for (const auto& c : cmds) {
    ASSERT_EQ(c.text.rfind("tracelet", 0), 0u) << "a command must start with tracelet: " << c.text;
    // Generous: attach and detach wait for kernel grace periods, slow on a loaded machine;
    // below ctest's 120 s per test so that a hang is reported here with the output so far.
    Output r = run_shell(to_shell(c.text, dry), kCommandTimeout);
    std::string shown = "$ " + c.text + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
    EXPECT_FALSE(r.timed_out) << "did not end by itself within " << kCommandTimeout.count()
                              << " s\n"
                              << shown;
    if (e.mode == "error") {
      EXPECT_EQ(r.status, 1) << shown;
      EXPECT_TRUE(matches(split_lines(c.expected), 0, split_lines(r.err), 0))
          << "stderr differs from the shown output\n--- shown\n"
          << c.expected << shown;
    } else {
      EXPECT_EQ(r.status, 0) << shown;
      if (e.mode == "run") {
        EXPECT_TRUE(matches(split_lines(c.expected), 0, split_lines(r.out), 0))
            << "stdout differs from the shown output\n--- shown\n"
            << c.expected << shown;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, Example, testing::ValuesIn(all_examples()),
                         [](const testing::TestParamInfo<DocExample>& info) {
                           return info.param.name;
                         });

// A document without runnable examples would make the tests above vacuous.
TEST(Docs, EveryDocumentHasExamples) {
  std::map<std::string, int> per_doc;
  for (const auto& e : all_examples())
    ++per_doc[e.doc];
  for (const char* doc : {"man/tracelet.8", "docs/reference.md", "docs/tutorial.md"})
    EXPECT_GE(per_doc[doc], 5) << doc << " has too few runnable examples";
}

// Option names ("-e", "--dry-run", ...) from `tracelet --help`'s OPTIONS section.
std::set<std::string> help_options() {
  Output r = run_shell(shell_quote(tracelet_binary()) + " --help", std::chrono::seconds(10));
  std::set<std::string> names;
  bool in_options = false;
  static const std::regex opt(R"((?:^\s+|, )(--?[A-Za-z][-A-Za-z]*))");
  for (const auto& l : split_lines(r.out)) {
    if (l == "OPTIONS:") {
      in_options = true;
      continue;
    }
    if (in_options && !l.empty() && l[0] != ' ') break;
    if (!in_options) continue;
    // Only the option column: up to the first run of two spaces after the options.
    std::string head = l;
    size_t start = head.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    size_t gap = head.find("  ", start);
    head = head.substr(0, gap);
    for (std::sregex_iterator it(head.begin(), head.end(), opt), end; it != end; ++it)
      names.insert((*it)[1]);
  }
  return names;
}

// Option names from the man page: the tag line after each .TP in the OPTIONS section.
std::set<std::string> man_options() {
  auto lines = read_lines(kSourceDir + "/man/tracelet.8");
  std::set<std::string> names;
  bool in_options = false;
  static const std::regex opt(R"((?:^|[ ,])(--?[A-Za-z][-A-Za-z]*))");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind(".SH", 0) == 0) in_options = lines[i].find("OPTIONS") != std::string::npos;
    if (!in_options || lines[i] != ".TP" || i + 1 >= lines.size()) continue;
    std::string tag = unroff(lines[i + 1]);
    tag = std::regex_replace(tag, std::regex(R"(^\.B[IR]?\s*)"), "");
    tag = std::regex_replace(tag, std::regex("\""), " ");
    for (std::sregex_iterator it(tag.begin(), tag.end(), opt), end; it != end; ++it)
      names.insert((*it)[1]);
  }
  return names;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s)
    out += (out.empty() ? "" : " ") + x;
  return out;
}

TEST(Docs, HelpAndManPageListTheSameOptions) {
  auto help = help_options();
  auto man = man_options();
  ASSERT_GE(help.size(), 10u) << "could not read the options of --help: " << join(help);
  std::set<std::string> only_help, only_man;
  std::set_difference(help.begin(), help.end(), man.begin(), man.end(),
                      std::inserter(only_help, only_help.end()));
  std::set_difference(man.begin(), man.end(), help.begin(), help.end(),
                      std::inserter(only_man, only_man.end()));
  EXPECT_TRUE(only_help.empty()) << "in --help but not in man/tracelet.8 OPTIONS: "
                                 << join(only_help);
  EXPECT_TRUE(only_man.empty()) << "in man/tracelet.8 OPTIONS but not in --help: "
                                << join(only_man);
}

TEST(Docs, ManPageHasNoGroffWarnings) {
  if (system("command -v groff >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "groff is not installed (setup.sh installs groff-base)";
  Output r = run_shell("groff -man -ww -z man/tracelet.8", std::chrono::seconds(30));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out + r.err, "") << "groff -man -ww -z man/tracelet.8 reported problems";
}

} // namespace
