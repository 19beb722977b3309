// system("cmd %q", value): the value reaches the command as exactly one argv word, whatever
// it holds. The values are real data from a traced process: a process made by the test names
// itself and opens hostile file names (quotes, $(), backticks, ;, a newline, the empty
// string); tracelet runs a script with %q of each name, and the script records its argument
// count and the bytes of its first argument.
#include "harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace tracelet::test;

namespace {

std::string hex(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(SystemQuote, HostileValuesArriveAsOneWord) {
  REQUIRE_BPF();
  std::string id = std::to_string(getpid());
  std::string comm = "tlq" + id;
  std::string dir = "/tmp/tracelet_root_q_" + id;
  std::string script = dir + "_argv.sh", result = dir + "_result", pwned = dir + "_pwned";
  struct Cleanup {
    std::vector<std::string> paths;
    ~Cleanup() {
      for (const auto& p : paths)
        unlink(p.c_str());
    }
  } cleanup{{script, result, pwned}};
  {
    std::ofstream s(script);
    s << "#!/bin/sh\nprintf 'argc=%d hex=%s\\n' $# \"$(printf '%s' \"$1\" | od -An -tx1 | tr -d "
         "' \\n')\" >> "
      << result << "\n";
  }
  chmod(script.c_str(), 0700);
  // None of these exists: open() fails, the tracepoint still sees the name.
  const std::vector<std::string> names = {
      "/tmp/tlq it's",
      "/tmp/tlq $(touch " + pwned + ")",
      "/tmp/tlq `touch " + pwned + "`;touch " + pwned,
      "/tmp/tlq line1\nline2 | touch " + pwned,
      "/tmp/tlq '\\'' \"dq\" \\ $HOME *",
      "",
  };
  RunSpec spec = ready_spec(
      "tracepoint:syscalls:sys_enter_openat /comm == \"" + comm + "\"/ { system(\"" + script +
          " %q\", str(args.filename)); }",
      [&] {
        pid_t pid = fork();
        if (pid == 0) {
          prctl(PR_SET_NAME, comm.c_str());
          for (const auto& n : names)
            open(n.c_str(), O_RDONLY);
          _exit(0);
        }
        waitpid(pid, nullptr, 0);
        // system() commands run as tracelet handles the events: wait for all of them (bounded).
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
          std::string got = read_file(result);
          if (std::count(got.begin(), got.end(), '\n') >= static_cast<long>(names.size())) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      },
      {"--unsafe"});
  spec.timeout = std::chrono::milliseconds(60000);
  auto r = run_tracelet(spec);
  ASSERT_FALSE(r.timed_out) << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::string expected;
  for (const auto& n : names)
    expected += "argc=1 hex=" + hex(n.substr(0, 63)) + "\n"; // str() keeps 63 characters
  EXPECT_EQ(read_file(result), expected) << "stderr: " << r.err;
  struct stat st;
  EXPECT_NE(stat(pwned.c_str(), &st), 0) << "a file name ran as a command";
}

// printf("%q") shows the word system() would get.
TEST(SystemQuote, PrintfShowsTheQuotedWord) {
  REQUIRE_BPF();
  auto r = run_tracelet(
      {"-e", R"(BEGIN { printf("%q|%q|%q|%q\n", "it's", "", "a b", "$(x)`y`;\"z\""); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "Attaching 1 probe...\n'it'\\''s'|''|'a b'|'$(x)`y`;\"z\"'\n\n\n");
}

TEST(SystemQuote, MisuseIsALocatedError) {
  auto r = run_tracelet({"-e", R"(BEGIN { printf("%-5q", "x"); })"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:16: error: printf: %q takes no flags, width, precision or length "
                   "('%-5q')\nBEGIN { printf(\"%-5q\", \"x\"); }\n               ^~~~~~\n");
  r = run_tracelet({"-e", R"(BEGIN { cat("%q", "x"); })"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("cat: %q quotes a shell word: it is for system() and printf()"),
            std::string::npos)
      << r.err;
  r = run_tracelet({"-e", R"(BEGIN { printf("%q", 5); })"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("printf: %q expects a value of type string (int64 supplied)"),
            std::string::npos)
      << r.err;
}

} // namespace
