// --metrics [HOST:]PORT: where the metrics server listens.
#pragma once

#include <cstdint>
#include <string>

namespace tracelet::runtime {

struct MetricsAddress {
  std::string host = "127.0.0.1"; // a numeric IPv4/IPv6 address or a host name
  uint16_t port = 0;
  std::string text() const; // "127.0.0.1:9100", "[::1]:9100"
};

// "9100", "0.0.0.0:9100", "localhost:9100", "[::1]:9100". Throws tracelet::Error with a
// one-line reason when the text is not of that form or the port is not 1..65535.
MetricsAddress parse_metrics_address(const std::string& text);

} // namespace tracelet::runtime
