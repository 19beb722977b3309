// Sign warnings (ast/passes/sign_warnings.cpp): bpftrace's texts, at the operator, and none
// where a non-negative literal takes the other operand's sign.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

#include <ostream>

namespace {

struct WarningCase {
  const char* source;
  const char* expected; // every diagnostic, formatted; "" for none
};

void PrintTo(const WarningCase& c, std::ostream* os) {
  *os << c.source;
}

class SignWarnings : public testing::TestWithParam<WarningCase> {};

TEST_P(SignWarnings, ReportedExactly) {
  const WarningCase& c = GetParam();
  auto a = tracelet::test::analyse(c.source);
  ASSERT_TRUE(a->ok) << a->errors(); // warnings never fail the program
  EXPECT_EQ(a->errors(), c.expected);
}

const WarningCase kCases[] = {
    {"BEGIN { $a = 5; $x = $a / 2; }",
     "stdin:1:25: warning: signed operands for '/' can lead to undefined behavior (cast to "
     "unsigned to silence warning)\n"
     "BEGIN { $a = 5; $x = $a / 2; }\n"
     "                        ^\n"},
    {"BEGIN { $a = 5; $x = 10 % $a; }",
     "stdin:1:25: warning: signed operands for '%' can lead to undefined behavior (cast to "
     "unsigned to silence warning)\n"
     "BEGIN { $a = 5; $x = 10 % $a; }\n"
     "                        ^\n"},
    {"BEGIN { $x = -5 / 2; }",
     "stdin:1:17: warning: signed operands for '/' can lead to undefined behavior (cast to "
     "unsigned to silence warning)\n"
     "BEGIN { $x = -5 / 2; }\n"
     "                ^\n"},
    {"BEGIN { $a = 5; $a /= 2; }",
     "stdin:1:20: warning: signed operands for '/' can lead to undefined behavior (cast to "
     "unsigned to silence warning)\n"
     "BEGIN { $a = 5; $a /= 2; }\n"
     "                   ^~\n"},
    {"BEGIN { @a = 5; @a %= 3; }",
     "stdin:1:20: warning: signed operands for '%' can lead to undefined behavior (cast to "
     "unsigned to silence warning)\n"
     "BEGIN { @a = 5; @a %= 3; }\n"
     "                   ^~\n"},
    // A literal zero divisor is no error (bpftrace 0.17 accepts it and prints an undefined
    // value): the kernel's answer is used.
    {"BEGIN { $x = 1 / 0; }",
     "stdin:1:18: warning: division by zero: '/ 0' gives the kernel's answer (x / 0 is 0, x "
     "% 0 is x)\n"
     "BEGIN { $x = 1 / 0; }\n"
     "                 ^\n"},
    {"BEGIN { $x = 1 % 0; }",
     "stdin:1:18: warning: division by zero: '% 0' gives the kernel's answer (x / 0 is 0, x "
     "% 0 is x)\n"
     "BEGIN { $x = 1 % 0; }\n"
     "                 ^\n"},
    {"BEGIN { $x = pid + -2; }",
     "stdin:1:18: warning: arithmetic on integers of different signs: 'uint32' and 'int64' can "
     "lead to undefined behavior\n"
     "BEGIN { $x = pid + -2; }\n"
     "                 ^\n"},
    {"BEGIN { $a = 5; $x = nsecs * $a; }",
     "stdin:1:28: warning: arithmetic on integers of different signs: 'uint64' and 'int64' can "
     "lead to undefined behavior\n"
     "BEGIN { $a = 5; $x = nsecs * $a; }\n"
     "                           ^\n"},
    {"BEGIN { $a = 5; if (nsecs == $a) {} }",
     "stdin:1:27: warning: comparison of integers of different signs: 'uint64' and 'int64' can "
     "lead to undefined behavior\n"
     "BEGIN { $a = 5; if (nsecs == $a) {} }\n"
     "                          ^~\n"},
    // Quiet: literals take the other side's sign; bitwise and shift operators; unsigned pairs.
    {"BEGIN { $x = 5 / 2; $y = nsecs * 2; $z = nsecs < 10; }", ""},
    {"BEGIN { $a = 5; $x = nsecs & $a; $y = nsecs << $a; $z = $a + 1; }", ""},
    {"BEGIN { $a = (uint64)5; $x = $a / 2; $y = $a % nsecs; }", ""},
};

INSTANTIATE_TEST_SUITE_P(Cases, SignWarnings, testing::ValuesIn(kCases));

} // namespace
