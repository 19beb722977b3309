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
            (V{"-q", "-v", "-e", "BEGIN {}", "--", "a1"}));
}

TEST(ShortOptions, ValueGluedToItsFlag) {
  EXPECT_EQ(expand_short_options({"-eBEGIN{}"}), (V{"-e", "BEGIN{}"}));
  EXPECT_EQ(expand_short_options({"-p123", "-e", "x"}), (V{"-p", "123", "-e", "x"}));
  EXPECT_EQ(expand_short_options({"-qfjson", "f.bt"}), (V{"-q", "-f", "json", "--", "f.bt"}));
}

TEST(ShortOptions, ListVerboseAndDoubleK) {
  EXPECT_EQ(expand_short_options({"-lv", "tracepoint:*"}), (V{"-l", "-v", "--", "tracepoint:*"}));
  EXPECT_EQ(expand_short_options({"-kk", "-e", "x"}), (V{"-kk", "-e", "x"}));
  EXPECT_EQ(expand_short_options({"-kkv", "f.bt"}), (V{"-kk", "-v", "--", "f.bt"}));
  EXPECT_EQ(expand_short_options({"-vk", "f.bt"}), (V{"-v", "-k", "--", "f.bt"}));
}

TEST(ShortOptions, ValuesAndArgumentsAfterDoubleDashAreNotSplit) {
  // The value of -e starts with '-' here; what follows `--` is never an option.
  EXPECT_EQ(expand_short_options({"-e", "-vq", "x"}), (V{"-e", "-vq", "--", "x"}));
  EXPECT_EQ(expand_short_options({"--", "-vq"}), (V{"--", "-vq"}));
  EXPECT_EQ(expand_short_options({"f.bt", "--", "-5"}), (V{"--", "f.bt", "-5"}));
  EXPECT_EQ(expand_short_options({"--include", "-vq", "f.bt"}),
            (V{"--include", "-vq", "--", "f.bt"}));
}

// getopt_long (bpftrace 0.17): `--include=FILE` as `--include FILE`; -IDIR as -I DIR.
TEST(ShortOptions, LongOptionWithEqualsAndIncludeDirWithoutSpace) {
  EXPECT_EQ(expand_short_options({"--include=x.h", "f.bt"}), (V{"--include", "x.h", "--", "f.bt"}));
  EXPECT_EQ(expand_short_options({"--map-keys-max=5", "f.bt"}),
            (V{"--map-keys-max", "5", "--", "f.bt"}));
  EXPECT_EQ(expand_short_options({"-Iinc", "-I", "b", "f.bt"}),
            (V{"-I", "inc", "-I", "b", "--", "f.bt"}));
  EXPECT_EQ(expand_short_options({"--no-warnings=1", "f.bt"}),
            (V{"--no-warnings=1", "--", "f.bt"}));
}

// bpftrace's getopt permutes: `bpftrace f.bt -f json 5` and `bpftrace f.bt -q hello` take the
// options after the file name (checked against bpftrace 0.17).
TEST(ShortOptions, OptionsAfterTheFileNameAreOptions) {
  EXPECT_EQ(expand_short_options({"f.bt", "-vq"}), (V{"-v", "-q", "--", "f.bt"}));
  EXPECT_EQ(expand_short_options({"-", "-vq"}), (V{"-v", "-q", "--", "-"}));
  EXPECT_EQ(expand_short_options({"f.bt", "hello", "-f", "json", "5"}),
            (V{"-f", "json", "--", "f.bt", "hello", "5"}));
}

TEST(ShortOptions, PosixlyCorrectStopsAtTheFirstOperand) {
  setenv("POSIXLY_CORRECT", "1", 1);
  auto expanded = expand_short_options({"-q", "f.bt", "-v", "hello"});
  unsetenv("POSIXLY_CORRECT");
  EXPECT_EQ(expanded, (V{"-q", "--", "f.bt", "-v", "hello"}));
}

TEST(ShortOptions, UnknownBundlesAndLongOptionsStayWhole) {
  // The parser then names the option as the user wrote it.
  EXPECT_EQ(expand_short_options({"-vz", "f.bt"}), (V{"-vz", "--", "f.bt"}));
  EXPECT_EQ(expand_short_options({"--dry-run", "--unsafe", "f.bt"}),
            (V{"--dry-run", "--unsafe", "--", "f.bt"}));
  // Long options with a value keep it, wherever they stand.
  EXPECT_EQ(expand_short_options({"f.bt", "--metrics", "9090", "--map-keys-max", "10"}),
            (V{"--metrics", "9090", "--map-keys-max", "10", "--", "f.bt"}));
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
