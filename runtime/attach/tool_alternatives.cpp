// Which shipped tool replaces probes on which kernel functions. The tools are in scripts/ and
// installed in share/tracelet/tools; `tracelet NAME` runs one by name.
#include "runtime/attach/tool_alternatives.h"

#include <array>

namespace tracelet::runtime {

namespace {

struct ToolAlternative {
  const char* func; // the kernel function a kprobe/fentry script probes
  const char* tool; // the tool's name, without .bt
  const char* uses; // what the tool attaches to instead
};

// tcp_v4_connect/tcp_v6_connect: the seed's tcpconnect (scripts/tcpconnect_kprobe.bt);
// tcp_connect: bpftrace's own tcpconnect.bt.
constexpr std::array kAlternatives = {
    ToolAlternative{"tcp_v4_connect", "tcpconnect", "tracepoint:sock:inet_sock_set_state"},
    ToolAlternative{"tcp_v6_connect", "tcpconnect", "tracepoint:sock:inet_sock_set_state"},
    ToolAlternative{"tcp_connect", "tcpconnect", "tracepoint:sock:inet_sock_set_state"},
};

} // namespace

std::string suggest_tool(const std::string& func) {
  for (const auto& a : kAlternatives)
    if (func == a.func)
      return std::string(a.tool) + ".bt (`tracelet " + a.tool + "`), which uses " + a.uses;
  return "";
}

} // namespace tracelet::runtime
