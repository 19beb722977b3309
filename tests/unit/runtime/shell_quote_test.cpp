// %q / shell_quote(): every string comes back from /bin/sh as exactly one word, unchanged.
#include "runtime/output/printf_format.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

// Runs `sh -c 'printf "%s|%d" WORD $#'`-like: the words the shell makes of `quoted`.
std::string through_shell(const std::string& quoted, int* argc) {
  std::string cmd = "set -- " + quoted + "; printf '%s' \"$#:$1\"";
  std::string wrapped = "/bin/sh -c " + tracelet::runtime::shell_quote(cmd);
  FILE* p = popen(wrapped.c_str(), "r");
  std::string out;
  char buf[256];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  if (p) pclose(p);
  size_t colon = out.find(':');
  *argc = colon == std::string::npos ? -1 : std::stoi(out.substr(0, colon));
  return colon == std::string::npos ? out : out.substr(colon + 1);
}

TEST(ShellQuote, Forms) {
  using tracelet::runtime::shell_quote;
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("'"), "''\\'''");
}

TEST(ShellQuote, OneWordThroughTheShell) {
  const std::vector<std::string> values = {
      "plain", "",      "it's",         "'",     "''",  "a b  c", "$(echo pwned)", "`echo pwned`",
      "a;b",   "a|b&c", "line1\nline2", "\\",    "\\'", "\"dq\"", "$HOME",         "*",
      "~root", "-n",    "#x",           "{a,b}", "!x",  "\t tab", "'\\''",
  };
  for (const auto& v : values) {
    int argc = 0;
    EXPECT_EQ(through_shell(tracelet::runtime::shell_quote(v), &argc), v) << v;
    EXPECT_EQ(argc, 1) << v;
  }
}

} // namespace
