#include "ast/inet.h"

#include <arpa/inet.h>

namespace tracelet::ast {

std::optional<std::vector<uint8_t>> parse_inet_literal(const std::string& text) {
  int family;
  std::vector<uint8_t> bytes;
  if (text.find('.') != std::string::npos) {
    family = AF_INET;
    bytes.resize(4);
  } else if (text.find(':') != std::string::npos) {
    family = AF_INET6;
    bytes.resize(16);
  } else {
    return std::nullopt;
  }
  if (inet_pton(family, text.c_str(), bytes.data()) != 1) return std::nullopt;
  return bytes;
}

} // namespace tracelet::ast
