#include "lexer/literals.h"

namespace tracelet::lexer {

using ast::digit_value;

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
