// watchpoint/asyncwatchpoint attach points and unwatch(): the forms of bpftrace 0.17's
// reference guide, its semantic checks (length 1/2/4/8, modes of r/w/x that x86-64 can watch,
// -p/-c for FUNC+argN, a function for asyncwatchpoint), the probe names bpftrace gives them,
// and the located message of each error.
#include "semantic_fixture.h"

#include "ast/watchpoints.h"
#include "parser/driver.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::Analysed;
using tracelet::test::FakeKernel;

struct Traced {
  int pid = -1;
  int cpid = -1;
  std::string binary;
};

std::unique_ptr<Analysed> analyse_traced(const std::string& source, Traced traced = {}) {
  auto result = std::make_unique<Analysed>();
  result->source = source;
  result->program = tracelet::parser::parse("stdin", source, result->diags);
  if (!result->program) return result;
  FakeKernel kernel;
  tracelet::ast::SemanticOptions options;
  options.cpid = traced.cpid;
  result->ok = tracelet::ast::analyse(*result->program, kernel, result->diags, options);
  // As cli/main.cpp does after analyse().
  result->ok = result->ok &&
               tracelet::ast::resolve_watchpoint_targets(*result->program, kernel, result->diags,
                                                         traced.pid, traced.cpid, traced.binary);
  return result;
}

// The attach points' names (as the `probe` builtin prints them), or the errors.
std::string names(const std::string& source, Traced traced = {}) {
  auto a = analyse_traced(source, traced);
  if (!a->ok) return a->errors();
  std::string out;
  for (const auto& probe : a->program->probes)
    for (const auto& ap : probe->expanded)
      out += ap->name() + "\n";
  return out;
}

const Traced kCommand{-1, 4242, "/bin/x"};

TEST(Watchpoints, AbsoluteAddressesAreNamedInDecimalAsBpftraceDoes) {
  EXPECT_EQ(names("watchpoint:0x404050:8:w {} w:4210760:4:rw {} watchpoint:0x10000000:1:wr {} "
                  "watchpoint:0x401000:8:x {}"),
            "watchpoint:4210768:8:w\nwatchpoint:4210760:4:rw\nwatchpoint:268435456:1:rw\n"
            "watchpoint:4198400:8:x\n");
}

TEST(Watchpoints, AbsoluteAddressFieldsAndAliases) {
  auto a = analyse_traced("w:0x404050:2:w {} ");
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& ap = *a->program->probes[0]->attach_points[0];
  // Where ast/watchpoints.h says the fields are.
  EXPECT_EQ(ap.provider, "watchpoint");
  EXPECT_EQ(ap.offset, 0x404050u);
  EXPECT_EQ(ap.freq, 2u);
  EXPECT_EQ(ap.parts.at(3), "w");
  EXPECT_TRUE(ap.func.empty());
  EXPECT_TRUE(ap.target.empty());
  a = analyse_traced("aw:f+arg3:4:wr {} ", kCommand);
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& f = *a->program->probes[0]->expanded[0];
  EXPECT_EQ(f.provider, "asyncwatchpoint");
  EXPECT_EQ(f.func, "f");
  EXPECT_EQ(f.target, "/bin/x");
  EXPECT_EQ(f.offset, 3u);
  EXPECT_EQ(f.freq, 4u);
  EXPECT_EQ(f.parts.at(3), "rw");
}

TEST(Watchpoints, FunctionArgumentFormNamesTheTracedProgram) {
  // bpftrace 0.17 with -c './wp 1': "watchpoint:./wp:touch:1:8:w".
  EXPECT_EQ(names("watchpoint:f+arg1:8:w {} aw:g+arg0:4:rw {}", kCommand),
            "watchpoint:/bin/x:f:1:8:w\nasyncwatchpoint:/bin/x:g:0:4:rw\n");
  EXPECT_EQ(names("asyncwatchpoint:f+arg5:1:w {}", Traced{77, -1, "/bin/x"}),
            "asyncwatchpoint:/bin/x:f:5:1:w\n");
}

TEST(Watchpoints, UnwatchTakesAnAddressAnywhere) {
  EXPECT_EQ(names("BEGIN { unwatch(0x1000); } watchpoint:0x404050:8:w { unwatch(0x404050); }"),
            "BEGIN\nwatchpoint:4210768:8:w\n");
  auto a = analyse_traced(R"(BEGIN { unwatch("a"); })");
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(),
            "stdin:1:17: error: unwatch() takes the watched address, an integer, not string[2]\n"
            "BEGIN { unwatch(\"a\"); }\n"
            "                ^~~\n");
  a = analyse_traced("BEGIN { unwatch(1, 2); }");
  EXPECT_NE(a->errors().find("error: unwatch() takes 1 argument, not 2"), std::string::npos)
      << a->errors();
  a = analyse_traced("BEGIN { $x = unwatch(1); }");
  EXPECT_FALSE(a->ok);
}

// One error, located on the whole attach point.
std::string error_of(const std::string& ap, Traced traced = {}) {
  return names(ap + " {}", traced);
}

std::string located(const std::string& ap, const std::string& message) {
  return "stdin:1:1: error: " + message + "\n" + ap + " {}\n^" + std::string(ap.size() - 1, '~') +
         "\n";
}

TEST(Watchpoints, LengthMustBeOneTwoFourOrEight) {
  for (const char* len : {"3", "16", "0", "abc"}) {
    std::string ap = std::string("watchpoint:0x404050:") + len + ":w";
    EXPECT_EQ(error_of(ap), located(ap, std::string("watchpoint length must be 1, 2, 4 or 8 "
                                                    "bytes, not '") +
                                            len + "'"));
  }
}

TEST(Watchpoints, ModesBpftraceRejects) {
  EXPECT_EQ(error_of("watchpoint:0x404050:4:q"),
            located("watchpoint:0x404050:4:q",
                    "watchpoint mode must be a combination of r, w and x, not 'q'"));
  EXPECT_EQ(error_of("watchpoint:0x404050:4:"),
            located("watchpoint:0x404050:4:",
                    "watchpoint mode must be a combination of r, w and x, not ''"));
  EXPECT_EQ(error_of("watchpoint:0x404050:4:ww"),
            located("watchpoint:0x404050:4:ww", "watchpoint mode 'ww' repeats an access kind"));
  for (const char* mode : {"r", "rx", "wx", "rwx", "xr"}) {
    std::string sorted = mode == std::string("xr") ? "rx" : mode;
    std::string ap = std::string("watchpoint:0x404050:8:") + mode;
    EXPECT_EQ(error_of(ap), located(ap, "x86-64 cannot watch for '" + sorted +
                                            "': use w (writes), rw (reads and writes) or x "
                                            "(execution)"));
  }
}

TEST(Watchpoints, WhatTheKernelWouldRefuseAtAttachIsAnErrorHere) {
  // bpftrace 0.17 fails at attach with "Invalid argument" for these.
  EXPECT_EQ(error_of("watchpoint:0x401146:1:x"),
            located("watchpoint:0x401146:1:x",
                    "an execution watchpoint (x) must have length 8 on x86-64, not 1"));
  EXPECT_EQ(error_of("watchpoint:0x404051:4:w"),
            located("watchpoint:0x404051:4:w",
                    "watchpoint address must be aligned to its length (4 bytes) on x86-64"));
}

TEST(Watchpoints, AddressForms) {
  EXPECT_EQ(error_of("watchpoint:0:4:w"),
            located("watchpoint:0:4:w", "watchpoint must be attached to a non-zero address"));
  EXPECT_EQ(error_of("watchpoint:abc:4:w"),
            located("watchpoint:abc:4:w",
                    "watchpoint address must be a number (0x404050 or 4210768), not 'abc'"));
  EXPECT_EQ(error_of("watchpoint:0x404050:4"),
            located("watchpoint:0x404050:4",
                    "watchpoint probe takes the form 'watchpoint:<address>:<length>:<mode>' or "
                    "'watchpoint:<function>+arg<N>:<length>:<mode>', not "
                    "'watchpoint:0x404050:4'"));
  EXPECT_EQ(error_of("asyncwatchpoint:0x404050:4:w"),
            located("asyncwatchpoint:0x404050:4:w",
                    "asyncwatchpoint needs a function: "
                    "'asyncwatchpoint:<function>+arg<N>:<length>:<mode>' (an address is watched "
                    "from the start: use watchpoint)"));
}

TEST(Watchpoints, FunctionArgumentForms) {
  EXPECT_EQ(error_of("watchpoint:f+1:4:w", kCommand),
            located("watchpoint:f+1:4:w",
                    "'1' is not a function argument: use arg0 to arg5, as in f+arg1"));
  EXPECT_EQ(error_of("watchpoint:f+arg:4:w", kCommand),
            located("watchpoint:f+arg:4:w",
                    "'arg' is not a function argument: use arg0 to arg5, as in f+arg1"));
  EXPECT_EQ(error_of("watchpoint:f+argx:4:w", kCommand),
            located("watchpoint:f+argx:4:w",
                    "'argx' is not a function argument: use arg0 to arg5, as in f+arg1"));
  EXPECT_EQ(error_of("watchpoint:f+arg9:4:w", kCommand),
            located("watchpoint:f+arg9:4:w",
                    "arg9 cannot hold the address: x86-64 passes only arg0 to arg5 in registers"));
  EXPECT_EQ(error_of("watchpoint:a+b+arg1:4:w", kCommand),
            located("watchpoint:a+b+arg1:4:w",
                    "'a+b+arg1' is not <function>+arg<N> in 'watchpoint:<address>:<length>:"
                    "<mode>' or 'watchpoint:<function>+arg<N>:<length>:<mode>'"));
  EXPECT_EQ(
      error_of("watchpoint:f*+arg1:4:w", kCommand),
      located("watchpoint:f*+arg1:4:w", "a watchpoint function cannot be a wildcard, not 'f*'"));
}

TEST(Watchpoints, FunctionArgumentFormNeedsATracedProcessWithThatFunction) {
  EXPECT_EQ(error_of("watchpoint:f+arg1:4:w"),
            located("watchpoint:f+arg1:4:w",
                    "watchpoint on a function argument needs the process to watch: give -p PID "
                    "or -c CMD"));
  EXPECT_EQ(error_of("asyncwatchpoint:f+arg1:4:w"),
            located("asyncwatchpoint:f+arg1:4:w",
                    "asyncwatchpoint on a function argument needs the process to watch: give -p "
                    "PID or -c CMD"));
  EXPECT_EQ(error_of("watchpoint:nope+arg1:4:w", kCommand),
            located("watchpoint:nope+arg1:4:w", "function 'nope' not found in /bin/x"));
  EXPECT_EQ(error_of("watchpoint:f+arg1:4:w", Traced{-1, 4242, "/no/such/prog"}),
            located("watchpoint:f+arg1:4:w",
                    "cannot find the program of the traced process ('/no/such/prog')"));
}

TEST(Watchpoints, AtMostFourAbsoluteWatchpoints) {
  std::string four = "watchpoint:0x404000:8:w {} watchpoint:0x404008:8:w {} "
                     "watchpoint:0x404010:8:w {} watchpoint:0x404018:8:rw {} ";
  EXPECT_TRUE(analyse_traced(four)->ok);
  auto a = analyse_traced(four + "watchpoint:0x404020:8:w {}");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("stdin:1:110: error: more than 4 watchpoints: x86-64 has 4 "
                             "hardware debug registers\n"),
            std::string::npos)
      << a->errors();
  // FUNC+argN watchpoints take registers as they go (the run reports when none is left).
  EXPECT_TRUE(analyse_traced(four + "watchpoint:f+arg0:8:w {}", kCommand)->ok);
}

TEST(Watchpoints, ArgumentBuiltinsAreNotTheWatchpointsOwn) {
  auto a = analyse_traced("watchpoint:0x404050:8:w { printf(\"%d\\n\", arg0); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("arg0 is only available in"), std::string::npos) << a->errors();
  a = analyse_traced("watchpoint:0x404050:8:w { printf(\"%s\\n\", func); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->errors().find("func is only available in"), std::string::npos) << a->errors();
  a = analyse_traced("watchpoint:0x404050:8:w { @[probe, comm, pid, kstack, ustack] = count(); }");
  EXPECT_TRUE(a->ok) << a->errors();
}

} // namespace
