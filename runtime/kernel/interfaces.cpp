#include "runtime/kernel/interfaces.h"

#include <net/if.h>

namespace tracelet::runtime {

std::vector<std::string> network_interfaces() {
  std::vector<std::string> names;
  struct if_nameindex* list = if_nameindex();
  if (!list) return names;
  for (struct if_nameindex* i = list; i->if_index != 0 && i->if_name; ++i)
    names.emplace_back(i->if_name);
  if_freenameindex(list);
  return names;
}

unsigned interface_index(const std::string& name) {
  return if_nametoindex(name.c_str());
}

std::string interface_list() {
  std::string s;
  for (const auto& name : network_interfaces())
    s += (s.empty() ? "" : ", ") + name;
  return s.empty() ? "none" : s;
}

std::vector<std::string> packet_probe_names(const std::string& provider) {
  std::vector<std::string> names;
  for (const auto& iface : network_interfaces()) {
    if (provider == "xdp") {
      names.push_back("xdp:" + iface);
    } else {
      names.push_back("tc:" + iface + ":egress");
      names.push_back("tc:" + iface + ":ingress");
    }
  }
  return names;
}

} // namespace tracelet::runtime
