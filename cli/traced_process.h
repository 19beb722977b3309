// The program of the traced process (-p PID or -c CMD), for probes that name a function of it
// without naming its binary (watchpoint:FUNC+argN).
#pragma once

#include <string>

namespace tracelet::cli {

// -p: the file /proc/PID/exe links to (under /proc/PID/root when the process is in another
// mount namespace); else -c: the command's first word (resolved through PATH later, as
// execvp does). "" when neither is given or the link cannot be read.
std::string traced_binary(int pid, const std::string& child_command);

} // namespace tracelet::cli
