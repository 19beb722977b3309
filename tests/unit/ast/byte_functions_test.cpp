// Typing of ntop, pton, bswap, buf, strncmp, strcontains and macaddr
// (ast/passes/byte_functions.cpp).
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;

TEST(ByteFunctions, ResultTypes) {
  auto a = analyse(R"(BEGIN {
      $a = ntop(1); $b = pton("1.2.3.4"); $c = pton("::1"); $d = bswap((uint16)1);
      $e = bswap(1); $f = buf("abc", 2); $g = strncmp("a", "b", 1); $h = strcontains("a", "b");
      $i = macaddr(pton("1:2:3::")); $p = (uint16)7; $j = bswap($p); $k = buf(pton("::1")); })");
  // macaddr() of 16 bytes is an error; everything else types.
  EXPECT_EQ(a->type_of("ntop(1)"), "inet");
  EXPECT_EQ(a->type_of("pton(\"1.2.3.4\")"), "uint8[4]");
  EXPECT_EQ(a->type_of("pton(\"::1\")"), "uint8[16]");
  EXPECT_EQ(a->type_of("bswap((uint16)1)"), "uint16");
  EXPECT_EQ(a->type_of("bswap(1)"), "uint64");
  EXPECT_EQ(a->type_of("bswap($p)"), "uint16"); // the width of $p's first assignment
  EXPECT_EQ(a->type_of("buf(\"abc\", 2)"), "buffer[2]");
  EXPECT_EQ(a->type_of("buf(pton(\"::1\"))"), "buffer[16]");
  EXPECT_EQ(a->type_of("strncmp(\"a\", \"b\", 1)"), "uint64");
  EXPECT_EQ(a->type_of("strcontains(\"a\", \"b\")"), "uint64");
  EXPECT_NE(a->errors().find("macaddr() needs 6 bytes, not 16 (uint8[16])"), std::string::npos)
      << a->errors();
}

TEST(ByteFunctions, BufLengthIsCappedAtTheStringSize) {
  auto a = analyse(R"(BEGIN { $n = 3; printf("%r %r\n", buf("abc", 100), buf("abc", $n)); })");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("buf(\"abc\", 100)"), "buffer[64]");
  EXPECT_EQ(a->type_of("buf(\"abc\", $n)"), "buffer[64]");
  EXPECT_NE(a->errors().find("buf() length is too long and will be shortened to 64 bytes"),
            std::string::npos)
      << a->errors();
}

TEST(ByteFunctions, Rejections) {
  for (const char* program : {
           R"(BEGIN { $a = pton("300.1.1.1"); })",
           R"(BEGIN { $a = ntop("ab"); })", // 3 bytes; "abc" (4) is an IPv4 address
           R"(BEGIN { $a = ntop(pton("1.2.3.4"), 1); })",
           R"(BEGIN { $a = strncmp("a", "b", -1); })",
           R"(BEGIN { $a = buf("abc", -1); })",
           R"(BEGIN { $a = 1 ? pton("1.2.3.4") : pton("1.2.3.5"); })",
           R"(BEGIN { printf("%5r\n", buf("a", 1)); })",
           R"(BEGIN { printf("%s\n", buf("a", 1)); })",
       }) {
    auto a = analyse(program);
    EXPECT_FALSE(a->ok) << program;
  }
}

} // namespace
