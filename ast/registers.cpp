#include "ast/registers.h"

namespace tracelet::ast {

namespace {

// In struct pt_regs order: each is one unsigned long.
constexpr const char* kRegisters[] = {"r15", "r14",     "r13", "r12", "bp",    "bx", "r11",
                                      "r10", "r9",      "r8",  "ax",  "cx",    "dx", "si",
                                      "di",  "orig_ax", "ip",  "cs",  "flags", "sp", "ss"};

} // namespace

std::optional<uint64_t> pt_regs_offset(const std::string& name) {
  uint64_t i = 0;
  for (const char* r : kRegisters) {
    if (name == r) return i * 8;
    ++i;
  }
  return std::nullopt;
}

std::string register_names() {
  std::string s;
  for (const char* r : kRegisters)
    s += (s.empty() ? "" : ", ") + std::string(r);
  return s;
}

} // namespace tracelet::ast
