// The canned tools (scripts/*.bt): where they are installed, how `tracelet NAME` finds one,
// and `tracelet --list-tools`.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace tracelet::cli {

struct Tool {
  std::string name;        // "tcpconnect"
  std::string path;        // ".../share/tracelet/tools/tcpconnect.bt"
  std::string description; // the one-line summary from its header comment
};

// The tools directory: ../share/tracelet/tools next to the running binary (an installed
// tracelet), else the source tree's scripts/ (a tracelet run from its build directory).
std::string tools_dir();

// The one-line description in a script's header: the text after "NAME.bt" (and an optional
// ':') on the first comment line that starts with the script's file name.
std::string tool_description(const std::string& name, const std::string& text);

// All tools in `dir`, sorted by name.
std::vector<Tool> list_tools(const std::string& dir);

// The script `NAME` or `NAME.bt` in the tools directory, for `tracelet NAME` when NAME is not a
// file. nullopt if there is none (or NAME contains a '/').
std::optional<std::string> find_tool(const std::string& name);

// --list-tools: one line per tool, "NAME  DESCRIPTION", and where they are.
void print_tools(std::ostream& out);

} // namespace tracelet::cli
