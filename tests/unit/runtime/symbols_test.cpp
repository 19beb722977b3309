// Symbol and stack text as bpftrace 0.17 prints it (runtime/symbols/symbols.h), without a kernel.
#include "runtime/symbols/symbols.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace tracelet::runtime {
namespace {

ResolvedSymbol sym(const char* name, uint64_t offset, const char* module = "") {
  return ResolvedSymbol{name, offset, module};
}

TEST(SymbolText, NameWithAndWithoutOffset) {
  EXPECT_EQ(symbol_text(0xffffffff81000004, sym("schedule", 4), true), "schedule+4");
  EXPECT_EQ(symbol_text(0xffffffff81000004, sym("schedule", 4), false), "schedule");
}

TEST(SymbolText, UnknownAddressIsHex) {
  EXPECT_EQ(symbol_text(0x7f04ec98d829, std::nullopt, true), "0x7f04ec98d829");
  EXPECT_EQ(hex_address(0), "0");
}

TEST(StackText, BpftraceModeIndentsFramesAfterALeadingNewline) {
  std::vector<uint64_t> addrs = {0x10, 0x20, 0};
  std::vector<std::optional<ResolvedSymbol>> syms = {sym("__schedule", 1576), sym("schedule", 35)};
  EXPECT_EQ(stack_text(addrs, syms, false, false, 8),
            "\n        __schedule+1576\n        schedule+35\n");
  EXPECT_EQ(stack_text(addrs, syms, false, false, 4), "\n    __schedule+1576\n    schedule+35\n");
}

TEST(StackText, StopsAtTheFirstZeroFrame) {
  std::vector<uint64_t> addrs = {0x10, 0, 0x30};
  std::vector<std::optional<ResolvedSymbol>> syms = {sym("a", 1)};
  EXPECT_EQ(stack_text(addrs, syms, false, false, 8), "\n        a+1\n");
  EXPECT_EQ(stack_text({}, {}, false, false, 8), "\n");
}

TEST(StackText, PerfModeShowsHexAddressesAndUserModules) {
  std::vector<uint64_t> addrs = {0xffffffff82265488, 0x7f00};
  std::vector<std::optional<ResolvedSymbol>> ksyms = {sym("__schedule", 1576), std::nullopt};
  EXPECT_EQ(stack_text(addrs, ksyms, true, false, 8),
            "\n\tffffffff82265488 __schedule+1576\n\t7f00 0x7f00\n");
  std::vector<std::optional<ResolvedSymbol>> usyms = {sym("main", 8, "/bin/true"), std::nullopt};
  EXPECT_EQ(stack_text(addrs, usyms, true, true, 8),
            "\n\tffffffff82265488 main+8 (/bin/true)\n\t7f00 0x7f00 ([unknown])\n");
}

TEST(SymbolCache, ResolvesOwnFunctionWithDemangledName) {
  // This test binary is C++: bcc finds its symbols through /proc/self and demangles them.
  SymbolCache cache(static_cast<int>(::getpid()));
  auto addr = reinterpret_cast<uint64_t>(&symbol_text);
  auto resolved = cache.resolve(addr + 1);
  ASSERT_TRUE(resolved.has_value());
  EXPECT_EQ(resolved->offset, 1u);
  EXPECT_EQ(resolved->name.rfind("tracelet::runtime::symbol_text", 0), 0u) << resolved->name;
}

TEST(SymbolizedValues, WithoutARunAddressesPrintAsHex) {
  uint64_t addr = 0xffffffff81000000;
  EXPECT_EQ(format_symbolized(ast::Type::ksym(), reinterpret_cast<uint8_t*>(&addr), 8),
            "0xffffffff81000000");
}

TEST(StackType, SpellingNamesModeAndDepthWhenNotDefault) {
  EXPECT_EQ(ast::Type::stack(false).str(), "kstack");
  EXPECT_EQ(ast::Type::stack(true, true, 5).str(), "ustack(perf,5)");
  EXPECT_NE(ast::Type::stack(false, false, 5), ast::Type::stack(false, false, 6));
  EXPECT_EQ(ast::Type::stack(true).size(), 8u);
  EXPECT_EQ(ast::Type::usym().size(), 16u);
}

} // namespace
} // namespace tracelet::runtime
