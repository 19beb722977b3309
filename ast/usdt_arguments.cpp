#include "ast/usdt_arguments.h"

#include <charconv>
#include <map>
#include <sstream>

namespace tracelet::ast {

namespace {

// x86-64 struct pt_regs slots (arch/x86/include/asm/ptrace.h), by every name of the register.
std::optional<uint64_t> pt_regs_offset(const std::string& reg) {
  static const std::map<std::string, uint64_t> slots = [] {
    std::map<std::string, uint64_t> m;
    auto add = [&](uint64_t offset, std::initializer_list<const char*> names) {
      for (const char* n : names)
        m[n] = offset;
    };
    add(0, {"r15", "r15d", "r15w", "r15b"});
    add(8, {"r14", "r14d", "r14w", "r14b"});
    add(16, {"r13", "r13d", "r13w", "r13b"});
    add(24, {"r12", "r12d", "r12w", "r12b"});
    add(32, {"rbp", "ebp", "bp", "bpl"});
    add(40, {"rbx", "ebx", "bx", "bl"});
    add(48, {"r11", "r11d", "r11w", "r11b"});
    add(56, {"r10", "r10d", "r10w", "r10b"});
    add(64, {"r9", "r9d", "r9w", "r9b"});
    add(72, {"r8", "r8d", "r8w", "r8b"});
    add(80, {"rax", "eax", "ax", "al"});
    add(88, {"rcx", "ecx", "cx", "cl"});
    add(96, {"rdx", "edx", "dx", "dl"});
    add(104, {"rsi", "esi", "si", "sil"});
    add(112, {"rdi", "edi", "di", "dil"});
    add(128, {"rip"});
    add(152, {"rsp", "esp", "sp", "spl"});
    return m;
  }();
  auto it = slots.find(reg);
  if (it == slots.end()) return std::nullopt;
  return it->second;
}

bool parse_int(const std::string& s, int64_t& v) {
  if (s.empty()) return false;
  bool negative = s[0] == '-';
  std::string digits = negative || s[0] == '+' ? s.substr(1) : s;
  int base = 10;
  if (digits.rfind("0x", 0) == 0) {
    digits = digits.substr(2);
    base = 16;
  }
  uint64_t u = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return false;
  v = negative ? -static_cast<int64_t>(u) : static_cast<int64_t>(u);
  return true;
}

std::optional<UsdtArgument> parse_one(const std::string& spec) {
  size_t at = spec.find('@');
  if (at == std::string::npos) return std::nullopt;
  int64_t size = 0;
  if (!parse_int(spec.substr(0, at), size)) return std::nullopt;
  UsdtArgument arg;
  arg.is_signed = size < 0;
  arg.bytes = static_cast<uint32_t>(size < 0 ? -size : size);
  if (arg.bytes != 1 && arg.bytes != 2 && arg.bytes != 4 && arg.bytes != 8) return std::nullopt;
  std::string op = spec.substr(at + 1);
  if (op.size() > 1 && op[0] == '$') { // immediate
    arg.kind = UsdtArgument::Kind::Constant;
    if (!parse_int(op.substr(1), arg.value)) return std::nullopt;
    return arg;
  }
  if (op.size() > 1 && op[0] == '%') { // register
    auto slot = pt_regs_offset(op.substr(1));
    if (!slot) return std::nullopt;
    arg.pt_regs_offset = *slot;
    return arg;
  }
  size_t open = op.find("(%");
  if (open == std::string::npos || op.back() != ')') return std::nullopt; // memory: off(%reg)
  std::string reg = op.substr(open + 2, op.size() - open - 3);
  auto slot = pt_regs_offset(reg);
  if (!slot) return std::nullopt; // also "(%rax,%rbx,8)": index registers are not supported
  arg.kind = UsdtArgument::Kind::Memory;
  arg.pt_regs_offset = *slot;
  if (open > 0 && !parse_int(op.substr(0, open), arg.value)) return std::nullopt;
  return arg;
}

} // namespace

std::optional<std::vector<UsdtArgument>> parse_usdt_arguments(const std::string& specs,
                                                              std::string* error) {
  std::vector<UsdtArgument> args;
  std::istringstream in(specs);
  std::string spec;
  while (in >> spec) {
    auto arg = parse_one(spec);
    if (!arg) {
      if (error) *error = "unsupported USDT argument spec '" + spec + "'";
      return std::nullopt;
    }
    args.push_back(*arg);
  }
  return args;
}

} // namespace tracelet::ast
