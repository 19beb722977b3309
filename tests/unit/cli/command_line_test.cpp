// Bundled short options, `-` for stdin, -p and -l validation: the forms bpftrace's getopt
// command line accepts (bpftrace(8): "-ve", "-lv", "-kk", "When FILENAME is -, read stdin").
#include "ast/diagnostics.h"
#include "cli/command_line.h"

#include <gtest/gtest.h>
#include <unistd.h>

using tracelet::cli::expand_short_options;
using V = std::vector<std::string>;

TEST(ShortOptions, BundledFlagsBeforeProgramSplit) {
  EXPECT_EQ(expand_short_options({"-ve", "BEGIN {}"}), (V{"-v", "-e", "BEGIN {}"}));
  EXPECT_EQ(expand_short_options({"-qve", "BEGIN {}", "a1"}),
            (V{"-q", "-v", "-e", "BEGIN {}", "a1"}));
}

TEST(ShortOptions, ValueGluedToItsFlag) {
  EXPECT_EQ(expand_short_options({"-eBEGIN{}"}), (V{"-e", "BEGIN{}"}));
  EXPECT_EQ(expand_short_options({"-p123", "-e", "x"}), (V{"-p", "123", "-e", "x"}));
  EXPECT_EQ(expand_short_options({"-qfjson", "f.bt"}), (V{"-q", "-f", "json", "f.bt"}));
}

TEST(ShortOptions, ListVerboseAndDoubleK) {
  EXPECT_EQ(expand_short_options({"-lv", "tracepoint:*"}), (V{"-l", "-v", "tracepoint:*"}));
  EXPECT_EQ(expand_short_options({"-kk", "-e", "x"}), (V{"-kk", "-e", "x"}));
  EXPECT_EQ(expand_short_options({"-kkv", "f.bt"}), (V{"-kk", "-v", "f.bt"}));
  EXPECT_EQ(expand_short_options({"-vk", "f.bt"}), (V{"-v", "-k", "f.bt"}));
}

TEST(ShortOptions, ValuesAndPositionalArgumentsAreNotSplit) {
  // The value of -e starts with '-' here; the positional arguments after the file too.
  EXPECT_EQ(expand_short_options({"-e", "-vq", "-x"}), (V{"-e", "-vq", "-x"}));
  EXPECT_EQ(expand_short_options({"f.bt", "-vq"}), (V{"f.bt", "-vq"}));
  EXPECT_EQ(expand_short_options({"-", "-vq"}), (V{"-", "-vq"}));
  EXPECT_EQ(expand_short_options({"--", "-vq"}), (V{"--", "-vq"}));
  EXPECT_EQ(expand_short_options({"--include", "-vq", "f.bt"}), (V{"--include", "-vq", "f.bt"}));
}

TEST(ShortOptions, UnknownBundlesAndLongOptionsStayWhole) {
  // The parser then names the option as the user wrote it.
  EXPECT_EQ(expand_short_options({"-vz", "f.bt"}), (V{"-vz", "f.bt"}));
  EXPECT_EQ(expand_short_options({"--dry-run", "--unsafe", "f.bt"}),
            (V{"--dry-run", "--unsafe", "f.bt"}));
  EXPECT_EQ(expand_short_options({"-v"}), (V{"-v"}));
}

TEST(ProgramSource, MissingFileIsAnError) {
  EXPECT_THROW(tracelet::cli::read_program("/nonexistent/tracelet-cli.bt"), tracelet::Error);
}

TEST(PidCheck, OwnPidExistsAndAFreePidDoesNot) {
  EXPECT_NO_THROW(tracelet::cli::check_pid_exists(getpid()));
  // Above the kernel's pid_max (at most 4194304), so never a live process.
  EXPECT_THROW(tracelet::cli::check_pid_exists(2000000000), tracelet::Error);
}

TEST(ListPattern, ProbeCharactersAreValid) {
  for (const char* p : {"", "*", "tracepoint:syscalls:sys_enter_open*", "uprobe:/bin/bash:readline",
                        "kprobe:vfs_[rw]*", "usdt:/usr/lib/libc.so.6:*",
                        "software:cpu-clock:", "tracepoint:sys-calls:*", "*sleep*"})
    EXPECT_EQ(tracelet::cli::list_pattern_error(p), "") << p;
}

TEST(ListPattern, InvalidCharacterIsLocated) {
  std::string e = tracelet::cli::list_pattern_error("tracepoint:sys$calls:*");
  EXPECT_EQ(e, "stdin:1:15: error: invalid character '$' in probe pattern (-l takes probe "
               "names and the wildcards * and [...])\n"
               "tracepoint:sys$calls:*\n"
               "              ^\n");
  for (const char* p : {"kprobe:f(x)", "a;b", "a@b", "x?y", "a\"b", "a'b", "a{b}", "a=b", "a!b",
                        "a%b", "a&b", "a|b"})
    EXPECT_NE(tracelet::cli::list_pattern_error(p), "") << p;
}
