// Network interfaces by name, for packet probes (xdp, tc): their index, and the list that
// -l 'xdp:*' prints and that an attach error for a missing interface names.
#pragma once

#include <string>
#include <vector>

namespace tracelet::runtime {

// Names of this network namespace's interfaces, in index order.
std::vector<std::string> network_interfaces();

// The index of interface `name`; 0 if there is none.
unsigned interface_index(const std::string& name);

// "lo, eth0, veth1" (or "none").
std::string interface_list();

// -l 'xdp:*' / -l 'tc:*': "xdp:IFACE" and "tc:IFACE:ingress|egress" for every interface.
std::vector<std::string> packet_probe_names(const std::string& provider);

} // namespace tracelet::runtime
