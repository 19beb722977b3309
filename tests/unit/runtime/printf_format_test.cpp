// printf() formatting. Every expectation here is what bpftrace 0.17 printed on this machine
// for the same format and arguments (except the flags bpftrace rejects, checked against C).
#include "runtime/output/printf_format.h"
#include "test_values.h"

#include <gtest/gtest.h>

using namespace tracelet;
using tracelet::test::Bytes;
using tracelet::test::Type;

namespace {

const std::vector<std::string> kProbes = {"BEGIN", "tracepoint:syscalls:sys_enter_openat"};

std::string fmt(const std::string& format, const Bytes& args) {
  return runtime::format_printf(format, args.type(), args.data().data(), args.data().size(),
                                kProbes);
}

Type i64() {
  return Type::i64();
}
Type u64() {
  return Type::u64();
}

} // namespace

TEST(PrintfFormat, PlainConversionsConvertAsCInt) {
  Bytes a({i64(), i64(), i64(), i64(), i64()});
  a.i(0, 5000000000).i(1, -1).i(2, -1).i(3, 255).i(4, 8);
  EXPECT_EQ(fmt("%d|%u|%x|%X|%o\n", a), "705032704|4294967295|ffffffff|FF|10\n");
}

TEST(PrintfFormat, LengthModifiers) {
  Bytes a({i64(), i64(), i64(), i64(), i64(), i64(), i64(), i64()});
  a.i(0, 5000000000).i(1, -1).i(2, -1).i(3, -1).i(4, 70000).i(5, 300).i(6, -1).i(7, -1);
  EXPECT_EQ(fmt("%ld|%lu|%lld|%llx|%hd|%hhd|%hu|%hhu\n", a),
            "5000000000|18446744073709551615|-1|ffffffffffffffff|4464|44|65535|255\n");
  Bytes b({i64(), i64(), i64(), i64(), i64()});
  b.i(0, -1).i(1, 3054).i(2, 8).i(3, 5000000000).i(4, 5000000000);
  EXPECT_EQ(fmt("%lx %lX %lo %x %u\n", b), "ffffffffffffffff BEE 10 2a05f200 705032704\n");
  Bytes z({i64()});
  z.i(0, -1);
  EXPECT_EQ(fmt("%zd|\n", z), "-1|\n");
  EXPECT_EQ(fmt("%i|\n", z), "-1|\n");
}

TEST(PrintfFormat, WidthPrecisionAndFlags) {
  Bytes a({i64()});
  a.i(0, 42);
  EXPECT_EQ(fmt("[%5d]\n", a), "[   42]\n");
  EXPECT_EQ(fmt("[%-5d]\n", a), "[42   ]\n");
  EXPECT_EQ(fmt("[%05d]\n", a), "[00042]\n");
  EXPECT_EQ(fmt("[%-05d]\n", a), "[42   ]\n");
  EXPECT_EQ(fmt("[%08x]\n", a), "[0000002a]\n");
  // bpftrace 0.17 rejects these flags; tracelet accepts them with C's meaning.
  EXPECT_EQ(fmt("[%+d]", a), "[+42]");
  EXPECT_EQ(fmt("[% d]", a), "[ 42]");
  EXPECT_EQ(fmt("[%#x]", a), "[0x2a]");
  EXPECT_EQ(fmt("[%#o]", a), "[052]");
  EXPECT_EQ(fmt("[%-+6d]", a), "[+42   ]");
  Bytes seven({i64()});
  seven.i(0, 7);
  EXPECT_EQ(fmt("[%.3d]\n", seven), "[007]\n");
  EXPECT_EQ(fmt("[%8.3d]\n", seven), "[     007]\n");
}

TEST(PrintfFormat, StringsCharsPointersAndPercent) {
  Bytes a({Type::string(6), Type::string(3), Type::string(3), Type::string(6), i64(), i64()});
  a.s(0, "hello").s(1, "hi").s(2, "hi").s(3, "hello").i(4, 65).i(5, 4096);
  EXPECT_EQ(fmt("[%s][%10s][%-10s][%.2s][%c][%p][%%]\n", a),
            "[hello][        hi][hi        ][he][A][0x1000][%%]\n");
  Bytes c({i64(), i64(), i64()});
  c.i(0, 104).i(1, 105).i(2, 120);
  EXPECT_EQ(fmt("%c%c|%5c|\n", c), "hi|    x|\n");
  Bytes p({i64(), i64()});
  p.i(0, 0).i(1, -1);
  EXPECT_EQ(fmt("%p %p\n", p), "(nil) 0xffffffffffffffff\n");
  Bytes s({Type::string(4), Type::string(7)});
  s.s(0, "abc").s(1, "abcdef");
  EXPECT_EQ(fmt("%-8s|%8.3s|\n", s), "abc     |     abc|\n");
}

TEST(PrintfFormat, StringsStopAtNul) {
  Bytes a({Type::string(16), u64()});
  std::string with_nul("ab\0cdef", 7);
  a.s(0, with_nul).i(1, 9);
  EXPECT_EQ(fmt("<%s> %d\n", a), "<ab> 9\n");
  Bytes full({Type::string(4)}); // no NUL inside the buffer at all
  full.s(0, "wxyz");
  EXPECT_EQ(fmt("%s\n", full), "wxyz\n");
}

TEST(PrintfFormat, CharZeroPrintsNothing) {
  // bpftrace 0.17: printf("a%cXY%dZ|%3c|%-3c|\n", 0, 5, 0, 0) prints "aXY5Z|  ||".
  Bytes a({i64(), i64(), i64(), i64()});
  a.i(0, 0).i(1, 5).i(2, 0).i(3, 0);
  EXPECT_EQ(fmt("a%cXY%dZ|%3c|%-3c|\n", a), "aXY5Z|  ||\n");
}

TEST(PrintfFormat, ArgumentsKeepTheirOwnSizeAndSign) {
  Bytes a({Type::integer(4, true), Type::integer(4, false), Type::integer(2, true)});
  a.i(0, -1).i(1, 0xffffffff).i(2, -1);
  EXPECT_EQ(fmt("%d %u %x\n", a), "-1 4294967295 ffffffff\n");
  Bytes b({Type::integer(1, false), Type::integer(1, true)});
  b.i(0, 255).i(1, -1);
  EXPECT_EQ(fmt("%u %d\n", b), "255 -1\n");
  EXPECT_EQ(fmt("%lu %ld\n", b), "255 -1\n");
}

TEST(PrintfFormat, ProbeArgumentPrintsItsName) {
  Bytes a({Type::probe(), i64(), i64()});
  a.i(0, 0).i(1, 3).i(2, -5);
  EXPECT_EQ(fmt("[%s] [%d] [%x]\n", a), "[BEGIN] [3] [fffffffb]\n");
  Bytes b({Type::probe()});
  b.i(0, 1);
  EXPECT_EQ(fmt("%s\n", b), "tracepoint:syscalls:sys_enter_openat\n");
}

TEST(PrintfFormat, PercentAfterTheLastConversionStaysDoubled) {
  // bpftrace 0.17 hands only the segments that hold a conversion to the C library.
  Bytes none({});
  EXPECT_EQ(fmt("100%%\n", none), "100%%\n");
  Bytes two({i64(), i64()});
  two.i(0, 1).i(1, 2);
  EXPECT_EQ(fmt("%d%% %d\n", two), "1% 2\n");
  Bytes one({i64()});
  one.i(0, 1);
  EXPECT_EQ(fmt("a%%b%dc%%\n", one), "a%b1c%%\n");
  EXPECT_EQ(fmt("no newline", none), "no newline");
}

TEST(PrintfFormat, ShortPayloadReadsAsZeros) {
  Type args = Type::tuple({i64(), i64()});
  uint8_t payload[8] = {7, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(runtime::format_printf("%d %d\n", args, payload, sizeof payload, kProbes), "7 0\n");
}

TEST(PrintfFormat, MixedLayoutUsesTupleOffsets) {
  // (uint8, string[3], int64): the int64 sits at offset 8 after padding.
  Bytes a({Type::integer(1, false), Type::string(3), i64()});
  a.i(0, 200).s(1, "ok").i(2, -123456789012);
  EXPECT_EQ(fmt("%u %s %ld\n", a), "200 ok -123456789012\n");
}

TEST(PrintfFormat, ByteValues) {
  // ntop(): { i64 af; u8 addr[16] }; buf(): { u8 length; u8 data[] }; macaddr(): 6 bytes.
  Bytes a({Type::inet(), Type::inet(), Type::inet(), Type::buffer(6), Type::macaddr()});
  a.i(0, 2).s(0, std::string("\x02\0\0\0\0\0\0\0\x7f\0\0\x01", 12));
  a.i(1, 10).s(1, std::string("\x0a\0\0\0\0\0\0\0\xfe\x80", 10) + std::string(13, '\0') + "\x01");
  a.i(2, 5);
  a.s(3, std::string("\x04"
                     "a\n\xff"
                     "bzz",
                     7));
  a.s(4, "\xab\xcd\xef\x01\x02\x03");
  EXPECT_EQ(fmt("%s|%s|[%s]|%r|%s\n", a), "127.0.0.1|fe80::1|[]|a\\x0a\\xffb|AB:CD:EF:01:02:03\n");
}
