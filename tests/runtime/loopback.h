// Loopback socket addresses for the tests that make TCP traffic of their own.
#pragma once

#include <arpa/inet.h>
#include <cstdint>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tracelet::test {

// The loopback address of `family` (AF_INET: 127.0.0.1, AF_INET6: ::1) with `port`; returns
// its length.
inline socklen_t loopback_address(int family, uint16_t port, sockaddr_storage& addr) {
  addr = {};
  if (family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *in;
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(port);
  in6->sin6_addr = in6addr_loopback;
  return sizeof *in6;
}

// The port of an address loopback_address made (after getsockname() filled it in).
inline uint16_t port_of(const sockaddr_storage& addr) {
  return ntohs(addr.ss_family == AF_INET ? reinterpret_cast<const sockaddr_in*>(&addr)->sin_port
                                         : reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
}

} // namespace tracelet::test
