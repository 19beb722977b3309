#include "cli/traced_process.h"

#include <sstream>
#include <unistd.h>

namespace tracelet::cli {

namespace {

std::string read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

} // namespace

std::string traced_binary(int pid, const std::string& child_command) {
  if (pid > 0) {
    std::string proc = "/proc/" + std::to_string(pid);
    std::string exe = read_link(proc + "/exe");
    if (exe.empty()) return "";
    if (read_link(proc + "/ns/mnt") != read_link("/proc/self/ns/mnt")) exe = proc + "/root" + exe;
    return exe;
  }
  std::istringstream words(child_command);
  std::string first;
  words >> first;
  return first;
}

} // namespace tracelet::cli
