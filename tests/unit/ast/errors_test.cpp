// Every semantic error: exact message, location and caret, as the CLI prints them.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

#include <ostream>

namespace {

struct ErrorCase {
  const char* source;
  std::vector<std::string> params;
  const char* expected; // all diagnostics, formatted
};

// Failures name the program, not the bytes of the struct.
void PrintTo(const ErrorCase& c, std::ostream* os) {
  *os << c.source;
}

class SemanticErrors : public testing::TestWithParam<ErrorCase> {};

TEST_P(SemanticErrors, ReportedExactly) {
  const ErrorCase& c = GetParam();
  auto a = tracelet::test::analyse(c.source, c.params);
  ASSERT_NE(a->program, nullptr) << "parse failed: " << a->errors();
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(), c.expected);
}

const ErrorCase kCases[] = {
    {"intervl:s:1 {}",
     {},
     "stdin:1:1: error: unknown probe type 'intervl' (did you mean 'interval'?)\n"
     "intervl:s:1 {}\n"
     "^~~~~~~~~~~\n"},
    {"interval:x:1 {}",
     {},
     "stdin:1:1: error: 'x' is not an accepted unit of time: use s, ms, us or hz\n"
     "interval:x:1 {}\n"
     "^~~~~~~~~~~~\n"},
    {"interval:s:0 {}",
     {},
     "stdin:1:1: error: interval count must be a positive integer, not '0'\n"
     "interval:s:0 {}\n"
     "^~~~~~~~~~~~\n"},
    {"interval:s {}",
     {},
     "stdin:1:1: error: interval probe takes the form 'interval:<s|ms|us|hz>:<N>', not "
     "'interval:s'\n"
     "interval:s {}\n"
     "^~~~~~~~~~\n"},
    {"BEGIN:x {}",
     {},
     "stdin:1:1: error: BEGIN takes no further parts, not 'BEGIN:x'\n"
     "BEGIN:x {}\n"
     "^~~~~~~\n"},
    {"BEGIN {} BEGIN {}",
     {},
     "stdin:1:10: error: more than one BEGIN probe defined\n"
     "BEGIN {} BEGIN {}\n"
     "         ^~~~~\n"},
    {"k:vfs_read+zz {}",
     {},
     "stdin:1:1: error: bad offset in 'k:vfs_read+zz': use <function>+<number>\n"
     "k:vfs_read+zz {}\n"
     "^~~~~~~~~~~~~\n"},
    {"tracepoint:syscalls {}",
     {},
     "stdin:1:1: error: tracepoint probe takes the form 'tracepoint:<category>:<name>', not "
     "'tracepoint:syscalls'\n"
     "tracepoint:syscalls {}\n"
     "^~~~~~~~~~~~~~~~~~~\n"},
    {"tracepoint:syscalls:nope {}",
     {},
     "stdin:1:1: error: tracepoint not found: tracepoint:syscalls:nope\n"
     "tracepoint:syscalls:nope {}\n"
     "^~~~~~~~~~~~~~~~~~~~~~~~\n"},
    {"tracepoint:nope*:x {}",
     {},
     "stdin:1:1: error: tracepoint not found: tracepoint:nope*:x\n"
     "tracepoint:nope*:x {}\n"
     "^~~~~~~~~~~~~~~~~~\n"},
    {"tracepoint:syscalls:sys_enter_openat { print(args.nope); }",
     {},
     "stdin:1:46: error: tracepoint syscalls:sys_enter_openat has no field 'nope'; its fields are: "
     "__syscall_nr, dfd, filename, flags, mode\n"
     "tracepoint:syscalls:sys_enter_openat { print(args.nope); }\n"
     "                                             ^~~~~~~~~\n"},
    {"BEGIN { print(args.x); }",
     {},
     "stdin:1:15: error: args is only available in tracepoint, fentry, fexit and uprobe probes\n"
     "BEGIN { print(args.x); }\n"
     "              ^~~~\n"},
    {"BEGIN { printf(\"%s\\n\", 1); }",
     {},
     "stdin:1:24: error: printf: %s expects a value of type string (int64 supplied)\n"
     "BEGIN { printf(\"%s\\n\", 1); }\n"
     "                       ^\n"},
    {"BEGIN { printf(\"%d\\n\", \"a\"); }",
     {},
     "stdin:1:24: error: printf: %d expects a value of type integer (string[2] supplied)\n"
     "BEGIN { printf(\"%d\\n\", \"a\"); }\n"
     "                       ^~~\n"},
    {"BEGIN { printf(\"%d %d\\n\", 1); }",
     {},
     "stdin:1:9: error: printf: not enough arguments for the format (1 supplied, 2 expected)\n"
     "BEGIN { printf(\"%d %d\\n\", 1); }\n"
     "        ^~~~~~~~~~~~~~~~~~~~\n"},
    {"BEGIN { printf(\"%d\\n\", 1, 2); }",
     {},
     "stdin:1:9: error: printf: too many arguments for the format (2 supplied, 1 expected)\n"
     "BEGIN { printf(\"%d\\n\", 1, 2); }\n"
     "        ^~~~~~~~~~~~~~~~~~~~\n"},
    {"BEGIN { printf(\"%y\\n\", 1); }",
     {},
     "stdin:1:16: error: printf: invalid conversion specifier '%y'\n"
     "BEGIN { printf(\"%y\\n\", 1); }\n"
     "               ^~~~~~\n"},
    {"BEGIN { printf(comm); }",
     {},
     "stdin:1:16: error: printf() needs a string literal as its format (string[16] given)\n"
     "BEGIN { printf(comm); }\n"
     "               ^~~~\n"},
    {"BEGIN { @x = 1; } END { @x = \"a\"; }",
     {},
     "stdin:1:25: error: map @x is assigned a value of type string[2] here, but of type int64 at "
     "stdin:1:9\n"
     "BEGIN { @x = 1; } END { @x = \"a\"; }\n"
     "                        ^~\n"},
    {"BEGIN { @x[1] = 1; } END { @x[\"a\"] = 1; }",
     {},
     "stdin:1:31: error: map @x is used with key type string[2] here, but with key type int64 at "
     "stdin:1:12\n"
     "BEGIN { @x[1] = 1; } END { @x[\"a\"] = 1; }\n"
     "                              ^~~\n"},
    {"BEGIN { @x[1] = 1; } END { @x = 2; }",
     {},
     "stdin:1:28: error: map @x is used without a key here, but with key type int64 at stdin:1:12\n"
     "BEGIN { @x[1] = 1; } END { @x = 2; }\n"
     "                           ^~\n"},
    {"BEGIN { @c = count(); @c = sum(1); }",
     {},
     "stdin:1:23: error: map @c is assigned a value of type sum here, but of type count at "
     "stdin:1:9\n"
     "BEGIN { @c = count(); @c = sum(1); }\n"
     "                      ^~\n"},
    {"BEGIN { prinft(\"x\"); }",
     {},
     "stdin:1:9: error: unknown function 'prinft' (did you mean 'printf'?)\n"
     "BEGIN { prinft(\"x\"); }\n"
     "        ^~~~~~~~~~~\n"},
    {"BEGIN { $x = pidd; }",
     {},
     "stdin:1:14: error: unknown identifier 'pidd' (did you mean 'pid'?)\n"
     "BEGIN { $x = pidd; }\n"
     "             ^~~~\n"},
    {"BEGIN { $x = 1; $x = \"s\"; }",
     {},
     "stdin:1:22: error: type mismatch for $x: assigning string[2], but $x was first assigned "
     "int64 at stdin:1:14\n"
     "BEGIN { $x = 1; $x = \"s\"; }\n"
     "                     ^~~\n"},
    {"BEGIN { count(); }",
     {},
     "stdin:1:9: error: count() must be assigned directly to a map, as in @m = count(...)\n"
     "BEGIN { count(); }\n"
     "        ^~~~~~~\n"},
    {"BEGIN { $x = count(); }",
     {},
     "stdin:1:14: error: count() must be assigned directly to a map, as in @m = count(...)\n"
     "BEGIN { $x = count(); }\n"
     "             ^~~~~~~\n"},
    {"BEGIN { break; }",
     {},
     "stdin:1:9: error: break used outside of a loop\n"
     "BEGIN { break; }\n"
     "        ^~~~~\n"},
    {"BEGIN { continue; }",
     {},
     "stdin:1:9: error: continue used outside of a loop\n"
     "BEGIN { continue; }\n"
     "        ^~~~~~~~\n"},
    {"BEGIN { unroll(200) {} }",
     {},
     "stdin:1:16: error: unroll count must be at most 100, not 200\n"
     "BEGIN { unroll(200) {} }\n"
     "               ^~~\n"},
    {"BEGIN { unroll(0) {} }",
     {},
     "stdin:1:16: error: unroll count must be at least 1, not 0\n"
     "BEGIN { unroll(0) {} }\n"
     "               ^\n"},
    {"BEGIN { @c = lhist(1, 0, 10, 0); }",
     {},
     "stdin:1:30: error: lhist() step must be at least 1, not 0\n"
     "BEGIN { @c = lhist(1, 0, 10, 0); }\n"
     "                             ^\n"},
    {"BEGIN { @c = lhist(1, 10, 10, 1); }",
     {},
     "stdin:1:27: error: lhist() max must be greater than min (10 <= 10)\n"
     "BEGIN { @c = lhist(1, 10, 10, 1); }\n"
     "                          ^~\n"},
    {"BEGIN { @c = lhist(1, 0, 10, 20); }",
     {},
     "stdin:1:30: error: lhist() step 20 is larger than the range 10 from min to max\n"
     "BEGIN { @c = lhist(1, 0, 10, 20); }\n"
     "                             ^~\n"},
    {"BEGIN { @c = lhist(1, 0, pid, 1); }",
     {},
     "stdin:1:26: error: lhist() max must be an integer literal\n"
     "BEGIN { @c = lhist(1, 0, pid, 1); }\n"
     "                         ^~~\n"},
    {"BEGIN { @c = hist(); }",
     {},
     "stdin:1:14: error: hist() takes 1 argument, not 0\n"
     "BEGIN { @c = hist(); }\n"
     "             ^~~~~~\n"},
    {"BEGIN { @c = sum(\"a\"); }",
     {},
     "stdin:1:18: error: sum() needs an integer, not string[2]\n"
     "BEGIN { @c = sum(\"a\"); }\n"
     "                 ^~~\n"},
    {"BEGIN { exit(1); }",
     {},
     "stdin:1:9: error: exit() takes no arguments, not 1\n"
     "BEGIN { exit(1); }\n"
     "        ^~~~~~~\n"},
    {"BEGIN { print(1, 2, 3); }",
     {},
     "stdin:1:9: error: print() of a value takes one argument, not 3\n"
     "BEGIN { print(1, 2, 3); }\n"
     "        ^~~~~~~~~~~~~~\n"},
    {"BEGIN { print(@y); }",
     {},
     "stdin:1:15: error: undefined map @y: it is never assigned a value\n"
     "BEGIN { print(@y); }\n"
     "              ^~\n"},
    {"BEGIN { $x = $y + 1; }",
     {},
     "stdin:1:14: error: undefined variable $y\n"
     "BEGIN { $x = $y + 1; }\n"
     "             ^~\n"},
    {"BEGIN { $x = \"a\" + 1; }",
     {},
     "stdin:1:14: error: invalid operands to '+': string[2] and int64\n"
     "BEGIN { $x = \"a\" + 1; }\n"
     "             ^~~~~~~\n"},
    {"BEGIN { $x = printf(\"a\"); }",
     {},
     "stdin:1:14: error: printf() does not return a value\n"
     "BEGIN { $x = printf(\"a\"); }\n"
     "             ^~~~~~~~~~~\n"},
    // bpftrace 0.17: "print() expects a integer literal (integer provided)".
    {"BEGIN { @m[1] = 1; $a = 1; print(@m, $a, -1); }",
     {},
     "stdin:1:38: error: print() top must be an integer literal, not a computed int64\n"
     "BEGIN { @m[1] = 1; $a = 1; print(@m, $a, -1); }\n"
     "                                     ^~\n"},
    {"BEGIN { if (\"a\") { exit(); } }",
     {},
     "stdin:1:13: error: the condition must be an integer, not string[2]\n"
     "BEGIN { if (\"a\") { exit(); } }\n"
     "            ^~~\n"},
    {"BEGIN { printf(\"%d\\n\", $1); }",
     {"abc"},
     "stdin:1:24: error: $1 used numerically but given \"abc\"; try str($1)\n"
     "BEGIN { printf(\"%d\\n\", $1); }\n"
     "                       ^~\n"},
    {"BEGIN { $x = arg0; }",
     {},
     "stdin:1:14: error: arg0 is only available in kprobe, uprobe, fentry, fexit and "
     "rawtracepoint probes\n"
     "BEGIN { $x = arg0; }\n"
     "             ^~~~\n"},
    {"BEGIN { $x = ksym(\"a\"); }",
     {},
     "stdin:1:19: error: ksym() needs an integer address, not string[2]\n"
     "BEGIN { $x = ksym(\"a\"); }\n"
     "                  ^~~\n"},
    {"BEGIN { @[kstack(foo)] = count(); }",
     {},
     "stdin:1:18: error: kstack() mode must be bpftrace or perf\n"
     "BEGIN { @[kstack(foo)] = count(); }\n"
     "                 ^~~\n"},
    {"BEGIN { @[ustack(perf, 2000)] = count(); }",
     {},
     "stdin:1:24: error: ustack() depth must be between 1 and 1024, not 2000\n"
     "BEGIN { @[ustack(perf, 2000)] = count(); }\n"
     "                       ^~~~\n"},
    {"BEGIN { $x = (1, 2).5; }",
     {},
     "stdin:1:14: error: tuple index 5 is out of range for (int64,int64)\n"
     "BEGIN { $x = (1, 2).5; }\n"
     "             ^~~~~~~~\n"},
    {"BEGIN { $x = 1 ? 2 : \"a\"; }",
     {},
     "stdin:1:14: error: the branches of ?: have different types: int64 and string[2]\n"
     "BEGIN { $x = 1 ? 2 : \"a\"; }\n"
     "             ^~~~~~~~~~~\n"},
    {"BEGIN { clear(@x[1]); }",
     {},
     "stdin:1:15: error: clear() takes a whole map, as in clear(@m)\n"
     "BEGIN { clear(@x[1]); }\n"
     "              ^~~~~\n"},
    {"BEGIN { @c = count(); $x = @c + 1; }",
     {},
     "stdin:1:28: error: invalid operands to '+': count and int64\n"
     "BEGIN { @c = count(); $x = @c + 1; }\n"
     "                           ^~~~~~\n"},
    {"BEGIN { $x = comm < \"b\"; }",
     {},
     "stdin:1:14: error: invalid operands to '<': string[16] and string[2]\n"
     "BEGIN { $x = comm < \"b\"; }\n"
     "             ^~~~~~~~~~\n"},
    {"BEGIN { @x = 1; @x += \"a\"; }",
     {},
     "stdin:1:23: error: '+=' needs an integer, not string[2]\n"
     "BEGIN { @x = 1; @x += \"a\"; }\n"
     "                      ^~~\n"},
    {"BEGIN /comm/ { exit(); }",
     {},
     "stdin:1:8: error: the predicate must be an integer, not string[16]\n"
     "BEGIN /comm/ { exit(); }\n"
     "       ^~~~\n"},
    {"BEGIN { @x = 1; } END { $a = 1; $b = \"s\"; @x = $b; }",
     {},
     "stdin:1:43: error: map @x is assigned a value of type string[2] here, but of type int64 at "
     "stdin:1:9\n"
     "BEGIN { @x = 1; } END { $a = 1; $b = \"s\"; @x = $b; }\n"
     "                                          ^~\n"},
    {"BEGIN { printf(\"%s\\n\", str(\"a\")); }",
     {},
     "stdin:1:28: error: str() needs a pointer or an integer address, not string[2]\n"
     "BEGIN { printf(\"%s\\n\", str(\"a\")); }\n"
     "                           ^~~\n"},
    {"BEGIN { @m[(1, 2)] = 3; }",
     {},
     "stdin:1:12: error: a tuple cannot be a map key: use several keys, as in @m[a, b]\n"
     "BEGIN { @m[(1, 2)] = 3; }\n"
     "           ^~~~~~\n"},
    {"BEGIN { @l = lhist(1, -40, 40, 20); }",
     {},
     "stdin:1:23: error: lhist() min must not be negative, not -40\n"
     "BEGIN { @l = lhist(1, -40, 40, 20); }\n"
     "                      ^~~\n"},
    {"BEGIN { printf(\"abc %\"); }",
     {},
     "stdin:1:16: error: printf: incomplete conversion specifier '%' at the end of the format\n"
     "BEGIN { printf(\"abc %\"); }\n"
     "               ^~~~~~~\n"},
    {"BEGIN { unroll($1) {} }",
     {"1e3"},
     "stdin:1:16: error: unroll count must be an integer, but $1 is \"1e3\"\n"
     "BEGIN { unroll($1) {} }\n"
     "               ^~\n"},
    {"tracepoint:syscalls { print(args.x); $x = \"a\" + 1; }",
     {},
     "stdin:1:1: error: tracepoint probe takes the form 'tracepoint:<category>:<name>', not "
     "'tracepoint:syscalls'\n"
     "tracepoint:syscalls { print(args.x); $x = \"a\" + 1; }\n"
     "^~~~~~~~~~~~~~~~~~~\n"
     "stdin:1:43: error: invalid operands to '+': string[2] and int64\n"
     "tracepoint:syscalls { print(args.x); $x = \"a\" + 1; }\n"
     "                                          ^~~~~~~\n"},
    {"BEGIN { @h = hist(1); @x = @h; }",
     {},
     "stdin:1:28: error: cannot copy a value of type hist: its buckets are not one value (only "
     "count, sum, min, max, avg and stats values can be copied)\n"
     "BEGIN { @h = hist(1); @x = @h; }\n"
     "                           ^~\n"},
    {"BEGIN { @h = lhist(1, 0, 10, 1); $x = @h; }",
     {},
     "stdin:1:39: error: cannot store a value of type lhist(0,10,1) in variable $x\n"
     "BEGIN { @h = lhist(1, 0, 10, 1); $x = @h; }\n"
     "                                      ^~\n"},
    {"BEGIN { @h = hist(1); @x = (@h, 1); }",
     {},
     "stdin:1:29: error: a tuple cannot hold a value of type hist\n"
     "BEGIN { @h = hist(1); @x = (@h, 1); }\n"
     "                            ^~\n"},
};

INSTANTIATE_TEST_SUITE_P(All, SemanticErrors, testing::ValuesIn(kCases));

} // namespace
