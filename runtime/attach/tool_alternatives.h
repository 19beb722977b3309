// Canned tools (scripts/) that answer the question of a kernel-function probe without it: named
// in the error when a kprobe or fentry probe cannot attach here.
#pragma once

#include <string>

namespace tracelet::runtime {

// "tcpconnect.bt (`tracelet tcpconnect`), which uses tracepoint:sock:inet_sock_set_state"
// for a kernel function that a shipped tool replaces; "" for any other function.
std::string suggest_tool(const std::string& func);

} // namespace tracelet::runtime
