#include "ast/usdt_arguments.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <sstream>

namespace tracelet::ast {

namespace {

constexpr uint64_t kRipSlot = 128;

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
    add(kRipSlot, {"rip"});
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

// `v` cut to `bytes` and extended back to 64 bits, as a value of that size and sign would be.
int64_t extend(int64_t v, uint32_t bytes, bool is_signed) {
  if (bytes >= 8) return v;
  unsigned bits = bytes * 8;
  uint64_t u = static_cast<uint64_t>(v) & ((uint64_t{1} << bits) - 1);
  if (is_signed && (u >> (bits - 1)) & 1) u |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(u);
}

bool is_symbol(const std::string& s) {
  auto first = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  };
  if (s.empty() || !first(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return first(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
  });
}

// The displacement of a "%rip"-relative operand naming a global: "sym", "sym+N", "sym-N" or
// "N+sym" -> arg.symbol, arg.value = N.
bool parse_global(const std::string& disp, UsdtArgument& arg) {
  size_t sign = disp.find_first_of("+-", 1);
  std::string first = disp.substr(0, sign);
  std::string rest = sign == std::string::npos ? "" : disp.substr(sign);
  if (is_symbol(first)) {
    arg.symbol = first;
    if (!rest.empty() && !parse_int(rest, arg.value)) return false;
  } else if (rest.size() > 1 && rest[0] == '+' && is_symbol(rest.substr(1))) {
    arg.symbol = rest.substr(1);
    if (!parse_int(first, arg.value)) return false;
  } else {
    return false;
  }
  arg.kind = UsdtArgument::Kind::Global;
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
  if (op.size() > 1 && op[0] == '$') { // immediate, kept to its size and sign
    arg.kind = UsdtArgument::Kind::Constant;
    if (!parse_int(op.substr(1), arg.value)) return std::nullopt;
    arg.value = extend(arg.value, arg.bytes, arg.is_signed);
    return arg;
  }
  if (op.size() > 1 && op[0] == '%') { // register
    auto slot = pt_regs_offset(op.substr(1));
    if (!slot) return std::nullopt;
    arg.pt_regs_offset = *slot;
    return arg;
  }
  // Memory: "disp(%base)" or "disp(%base,%index,scale)" (disp optional, scale 1 if omitted).
  size_t open = op.find("(%");
  if (open == std::string::npos || op.back() != ')') return std::nullopt;
  std::vector<std::string> fields;
  std::istringstream inner(op.substr(open + 1, op.size() - open - 2));
  for (std::string f; std::getline(inner, f, ',');)
    fields.push_back(f);
  if (fields.empty() || fields.size() > 3) return std::nullopt;
  auto reg_slot = [](const std::string& f) -> std::optional<uint64_t> {
    if (f.size() < 2 || f[0] != '%') return std::nullopt;
    return pt_regs_offset(f.substr(1));
  };
  auto slot = reg_slot(fields[0]);
  if (!slot) return std::nullopt;
  arg.kind = UsdtArgument::Kind::Memory;
  arg.pt_regs_offset = *slot;
  if (fields.size() >= 2) {
    auto index = reg_slot(fields[1]);
    if (!index || *index == kRipSlot) return std::nullopt; // %rip cannot be an index
    arg.index_pt_regs_offset = *index;
    int64_t scale = 1;
    if (fields.size() == 3 && !parse_int(fields[2], scale)) return std::nullopt;
    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) return std::nullopt;
    arg.scale = static_cast<uint32_t>(scale);
  }
  if (arg.pt_regs_offset == kRipSlot) {
    // "%rip" as a base is relative to the next instruction, which the note does not give: only
    // a symbol ("sym", "sym+N", "N+sym", "sym-N") says where, as the global's own address.
    if (fields.size() != 1 || !parse_global(op.substr(0, open), arg)) return std::nullopt;
    return arg;
  }
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
