#include "runtime/metrics/metrics_address.h"

#include "ast/diagnostics.h"

namespace tracelet::runtime {

std::string MetricsAddress::text() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

MetricsAddress parse_metrics_address(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error("--metrics takes [HOST:]PORT, not '" + text + "': " + why);
  };
  MetricsAddress address;
  std::string port = text;
  if (!text.empty() && text[0] == '[') { // [IPv6]:PORT
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw bad("an IPv6 address is written [ADDRESS]:PORT");
    address.host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else if (auto colon = text.rfind(':'); colon != std::string::npos) {
    address.host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (address.host.find(':') != std::string::npos)
      throw bad("an IPv6 address is written [ADDRESS]:PORT");
  }
  if (address.host.empty()) throw bad("the host is empty");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    throw bad("the port is not a number");
  unsigned long n = std::stoul(port);
  if (n < 1 || n > 65535) throw bad("the port must be 1..65535");
  address.port = static_cast<uint16_t>(n);
  return address;
}

} // namespace tracelet::runtime
