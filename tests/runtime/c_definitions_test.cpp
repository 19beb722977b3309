// C definitions in scripts on the real kernel: structs read from kernel memory (the task's
// utsname, whose sysname is "Linux" then zeros) printed as text and JSON, bitfields, typedefs.
// Expected lines are bpftrace 0.17's output for the same programs (JSON via `-f json`).
#include "harness.h"

#include <gtest/gtest.h>

using namespace tracelet::test;

namespace {

const char* kDefs = "struct In { char c; short s; }\n"
                    "struct Foo { char s[6]; unsigned int lo:4, hi:12; struct In in; "
                    "struct In ins[2]; unsigned char a[3]; int *p; }\n";

TEST(CDefinitions, JsonOfStructsAndArrays) {
  REQUIRE_BPF();
  std::string prog = std::string(kDefs) + R"(BEGIN {
    $f = (struct Foo *)curtask->nsproxy->uts_ns;
    print(*$f); print($f->ins); @v = *$f; @k[*$f, 1] = 2; @t = (1, $f->a, $f->in); exit(); })";
  auto r = run_tracelet({"-f", "json", "-e", prog});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  const char* rec = R"({ "s": "Linux", "lo": 0, "hi": 0, "in": { "c": 0, "s": 0 }, )"
                    R"("ins": [{ "c": 0, "s": 0 },{ "c": 0, "s": 0 }], "a": [0,0,0], "p": 0 })";
  for (std::string line :
       {std::string(R"({"type": "value", "data": )") + rec + "}\n",
        std::string(R"({"type": "value", "data": [{ "c": 0, "s": 0 },{ "c": 0, "s": 0 }]})") + "\n",
        std::string(R"({"type": "map", "data": {"@v": )") + rec + "}}\n",
        std::string(R"({"type": "map", "data": {"@k": {"{.s=Linux,.lo=0,.hi=0,.in={.c=0,.s=0},)"
                    R"(.ins=[{.c=0,.s=0},{.c=0,.s=0}],.a=[0,0,0],.p=0x0},1": 2}}})") +
            "\n",
        std::string(R"({"type": "map", "data": {"@t": [1,[0,0,0],{ "c": 0, "s": 0 }]}})") + "\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << "missing: " << line << "in:\n" << r.out;
}

TEST(CDefinitions, BitfieldsPrintTheirOwnBits) {
  REQUIRE_BPF();
  // "Linux": 'L' = 0x4c, 'i' = 0x69, 'n' = 0x6e, 'u' = 0x75. The bitfields split the first
  // 32-bit word 0x756e694c as lo:4 = 0xc, mid:8 = 0x94, hi:20 = 0x756e6.
  std::string prog = R"(struct W { unsigned int lo:4, mid:8, hi:20; }
    BEGIN { $w = (struct W *)curtask->nsproxy->uts_ns;
            printf("%d %d %d\n", $w->lo, $w->mid, $w->hi); print(*$w); @w = *$w; exit(); })";
  auto r = run_tracelet({"-q", "-e", prog});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("12 148 480998\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{ .lo = 12, .mid = 148, .hi = 480998 }\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@w: { .lo = 12, .mid = 148, .hi = 480998 }\n"), std::string::npos) << r.out;
}

TEST(CDefinitions, TypedefsAndEnumsAtRunTime) {
  REQUIRE_BPF();
  // typedef is tracelet's addition (bpftrace 0.17 rejects it at the top level).
  std::string prog = R"(typedef struct { char sys[5]; char zero; } name_t;
    typedef unsigned short u16_t;
    enum Step { FIRST = 10, SECOND }
    BEGIN { $n = (name_t *)curtask->nsproxy->uts_ns;
            printf("%s %d %d %d\n", $n->sys, $n->zero, sizeof(u16_t), SECOND); exit(); })";
  auto r = run_tracelet({"-q", "-e", prog});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n') + 1), "Linux 0 2 11\n") << r.out;
}

TEST(CDefinitions, ErrorsInDefinitionsAreLocated) {
  auto r = run_tracelet({"-e", "struct S { int a[N]; }\nBEGIN { exit(); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:18: error: unknown constant 'N' in C definition\n"
                   "struct S { int a[N]; }\n"
                   "                 ^\n");
}

} // namespace
