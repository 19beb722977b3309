// Integer literals as bpftrace 0.17 reads them (integer_literal.h).
#include "ast/integer_literal.h"

#include <limits>
#include <string>

namespace tracelet::ast {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// Accumulates `digits` in `base`; false on overflow or a digit not valid in `base`.
bool accumulate(std::string_view digits, int base, uint64_t& out, std::string& error) {
  uint64_t v = 0;
  for (char c : digits) {
    if (c == '_') continue;
    int d = digit_value(c);
    if (d >= base) {
      error = std::string("invalid digit '") + c + "' in " + (base == 8 ? "octal" : "integer") +
              " literal";
      return false;
    }
    if (v > (kMax - d) / base) {
      error = "integer literal out of range";
      return false;
    }
    v = v * base + d;
  }
  out = v;
  return true;
}

} // namespace

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

IntegerLiteral parse_integer(std::string_view text) {
  IntegerLiteral r;
  std::string_view t = text;
  // Size suffixes carry no meaning for the value: literals are typed later.
  while (!t.empty() && (t.back() == 'u' || t.back() == 'U' || t.back() == 'l' || t.back() == 'L'))
    t.remove_suffix(1);
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    r.ok = accumulate(t.substr(2), 16, r.value, r.error);
    return r;
  }
  size_t e = t.find_first_of("eE");
  if (e != std::string_view::npos) {
    uint64_t mantissa = 0, exponent = 0;
    if (!accumulate(t.substr(0, e), 10, mantissa, r.error) ||
        !accumulate(t.substr(e + 1), 10, exponent, r.error))
      return r;
    // bpftrace 0.17's limits: one digit before the `e` and at most 16 after it.
    if (mantissa > 9) {
      r.error = "the digit before 'e' of a scientific literal must be 0 to 9, not " +
                std::to_string(mantissa);
      return r;
    }
    if (exponent > 16) {
      r.error = "the exponent of a scientific literal must be at most 16, not " +
                std::to_string(exponent);
      return r;
    }
    uint64_t v = mantissa;
    for (uint64_t i = 0; i < exponent; ++i)
      v *= 10;
    r.value = v;
    r.ok = true;
    return r;
  }
  int base = t.size() > 1 && t[0] == '0' ? 8 : 10;
  r.ok = accumulate(base == 8 ? t.substr(1) : t, base, r.value, r.error);
  return r;
}

} // namespace tracelet::ast
