#include "lexer/literals.h"

#include <limits>

namespace tracelet::lexer {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

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
    uint64_t v = mantissa;
    for (uint64_t i = 0; i < exponent && v != 0; ++i) {
      if (v > kMax / 10) {
        r.error = "integer literal out of range";
        return r;
      }
      v *= 10;
    }
    r.value = v;
    r.ok = true;
    return r;
  }
  int base = t.size() > 1 && t[0] == '0' ? 8 : 10;
  r.ok = accumulate(base == 8 ? t.substr(1) : t, base, r.value, r.error);
  return r;
}

StringLiteral decode_string(std::string_view body) {
  StringLiteral r;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      r.value += c;
      continue;
    }
    size_t start = i;
    if (++i >= body.size()) {
      r.error = "invalid escape sequence at end of string";
      r.error_offset = start;
      return r;
    }
    char e = body[i];
    switch (e) {
    case 'n':
      r.value += '\n';
      break;
    case 't':
      r.value += '\t';
      break;
    case 'r':
      r.value += '\r';
      break;
    case '\\':
      r.value += '\\';
      break;
    case '"':
      r.value += '"';
      break;
    case '\'':
      r.value += '\'';
      break;
    case 'x': {
      int v = 0, n = 0;
      while (n < 2 && i + 1 < body.size() && digit_value(body[i + 1]) < 16) {
        v = v * 16 + digit_value(body[++i]);
        ++n;
      }
      if (n == 0) {
        r.error = "invalid escape sequence '\\x': expected hexadecimal digits";
        r.error_offset = start;
        return r;
      }
      r.value += static_cast<char>(v);
      break;
    }
    default:
      if (e >= '0' && e <= '7') {
        int v = e - '0', n = 1;
        while (n < 3 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7') {
          v = v * 8 + (body[++i] - '0');
          ++n;
        }
        if (v > 255) {
          r.error = "octal escape sequence out of range";
          r.error_offset = start;
          return r;
        }
        r.value += static_cast<char>(v);
        break;
      }
      r.error = std::string("invalid escape sequence '\\") + e + "'";
      r.error_offset = start;
      return r;
    }
  }
  r.ok = true;
  return r;
}

} // namespace tracelet::lexer
