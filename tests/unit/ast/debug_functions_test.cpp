// strerror(), debugf(), %rx/%rh, == on buf() values and ternaries whose branches are
// statements: their type rules and located errors, with a fake kernel.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DebugFunctions, StrerrorIsAPrintableValue) {
  auto a = analyse("BEGIN { printf(\"%s\\n\", strerror(1)); $e = strerror(2); @m = strerror(3); "
                   "@k[strerror(4)] = 1; print(strerror(5)); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("strerror(1)"), "strerror");
  EXPECT_EQ(a->type_of("$e"), "strerror");
}

TEST(DebugFunctions, StrerrorMisuseIsLocated) {
  auto a = analyse("BEGIN { printf(\"%s\", strerror(\"x\")); printf(\"%d\", strerror(1)); "
                   "$v = strerror(1) + 1; strerror(); }");
  EXPECT_FALSE(a->ok);
  EXPECT_TRUE(has(a->errors(), "stdin:1:31: error: strerror() needs an integer error number, not "
                               "string[2]"))
      << a->errors();
  EXPECT_TRUE(has(a->errors(), "%d expects a value of type integer (strerror supplied)"))
      << a->errors();
  EXPECT_TRUE(has(a->errors(), "invalid operands to '+': strerror and"));
  EXPECT_TRUE(has(a->errors(), "strerror() takes 1 argument, not 0"));
}

TEST(DebugFunctions, DebugfChecksItsFormat) {
  auto ok = analyse("BEGIN { debugf(\"a\"); debugf(\"%d %s %-5llx\\n\", -1, comm, 255); "
                    "debugf(\"%p %u %%\", 1, 2); }");
  ASSERT_TRUE(ok->ok) << ok->errors();
  EXPECT_TRUE(has(ok->errors(), "warning: debugf() writes to the kernel's trace buffer"))
      << ok->errors();

  auto four = analyse("BEGIN { debugf(\"%d %d %d %d\", 1, 2, 3, 4); }");
  EXPECT_FALSE(four->ok);
  EXPECT_TRUE(has(four->errors(), "stdin:1:16: error: debugf: at most 3 conversions "
                                  "(bpf_trace_printk prints 3 values), not 4"))
      << four->errors();

  auto bad = analyse("BEGIN { debugf(\"%hd\", 1); debugf(\"%.3d\", 1); debugf(\"%s\", 1); "
                     "debugf(\"%d\", \"x\"); debugf(\"%d\"); $x = debugf(\"x\"); debugf(1); }");
  EXPECT_FALSE(bad->ok);
  std::string e = bad->errors();
  EXPECT_TRUE(has(e, "debugf: conversion '%h' is not one bpf_trace_printk knows")) << e;
  EXPECT_TRUE(has(e, "debugf: conversion '%.' is not one bpf_trace_printk knows")) << e;
  EXPECT_TRUE(has(e, "debugf: %s expects a value of type string (int64 supplied)")) << e;
  EXPECT_TRUE(has(e, "debugf: %d expects a value of type integer (string[2] supplied)")) << e;
  EXPECT_TRUE(has(e, "debugf: not enough arguments for the format (0 supplied, 1 expected)")) << e;
  EXPECT_TRUE(has(e, "debugf() does not return a value")) << e;
  EXPECT_TRUE(has(e, "debugf() needs a string literal as its format")) << e;
}

TEST(DebugFunctions, BufferFormatsAndEquality) {
  auto a = analyse("BEGIN { $a = buf(\"ab\", 2); $b = buf(\"abc\", 3); "
                   "printf(\"%r %rx %rh\\n\", $a, $a, $b); $e = $a == $b; $n = $a != $b; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$a == $b"), "uint64");
  auto bad = analyse("BEGIN { $a = buf(\"ab\", 2); printf(\"%rx\\n\", 1); $x = $a == \"ab\"; "
                     "$y = $a < $a; }");
  EXPECT_FALSE(bad->ok);
  EXPECT_TRUE(has(bad->errors(), "%rx expects a value of type buffer (int64 supplied)"))
      << bad->errors();
  EXPECT_TRUE(has(bad->errors(), "invalid operands to '=='")) << bad->errors();
  EXPECT_TRUE(has(bad->errors(), "invalid operands to '<'")) << bad->errors();
}

TEST(DebugFunctions, TernaryOfStatements) {
  auto ok = analyse("BEGIN { $c = 1; $c ? printf(\"a\") : printf(\"b\"); "
                    "$c ? print(1) : ($c ? exit() : debugf(\"x\")); }");
  ASSERT_TRUE(ok->ok) << ok->errors();
  auto mixed = analyse("BEGIN { 1 ? printf(\"a\") : 5; }");
  EXPECT_FALSE(mixed->ok);
  EXPECT_TRUE(has(mixed->errors(), "stdin:1:9: error: the branches of ?: must both be values or "
                                   "both be statements: printf() has no value, the other is int64"))
      << mixed->errors();
  auto value = analyse("BEGIN { $v = 1 ? printf(\"a\") : exit(); }");
  EXPECT_FALSE(value->ok);
  EXPECT_TRUE(has(value->errors(), "this ?: does not return a value: its branches are statements"))
      << value->errors();
}

} // namespace

namespace {

TEST(RegisterAccess, RegAndStackArgumentsInPtRegsProbes) {
  auto a = analyse("uprobe:/bin/bash:readline { $ip = reg(\"ip\"); $s = sarg0 + sarg1; } "
                   "profile:hz:99 { @[reg(\"sp\")] = count(); } "
                   "uretprobe:/bin/bash:readline { $a = reg(\"ax\"); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("reg(\"ip\")"), "uint64");
  EXPECT_EQ(a->type_of("sarg1"), "uint64");
}

TEST(RegisterAccess, MisuseIsLocated) {
  auto a = analyse("BEGIN { $x = reg(\"ip\"); $y = sarg0; } "
                   "uprobe:/bin/bash:readline { $a = reg(\"foo\"); $b = reg(1); } "
                   "uretprobe:/bin/bash:readline { $c = sarg2; }");
  EXPECT_FALSE(a->ok);
  std::string e = a->errors();
  EXPECT_TRUE(has(e, "stdin:1:14: error: reg() reads the registers of kprobe, kretprobe, "
                     "uprobe, uretprobe, usdt, profile, software and hardware probes, not of "
                     "BEGIN probes"))
      << e;
  EXPECT_TRUE(has(e, "stdin:1:30: error: sarg0 (an argument passed on the stack) is only "
                     "available in kprobe and uprobe probes"))
      << e;
  EXPECT_TRUE(has(e, "error: 'foo' is not an x86-64 register; reg() knows r15, r14")) << e;
  EXPECT_TRUE(has(e, "error: reg() needs a register name as a string literal")) << e;
  EXPECT_TRUE(has(e, "error: sarg2 (an argument passed on the stack) is only available")) << e;
}

} // namespace
