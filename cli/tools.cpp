#include "cli/tools.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace tracelet::cli {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t:");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

} // namespace

std::string tools_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "tracelet" / "tools";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
#ifdef TRACELET_SOURCE_SCRIPTS
  return TRACELET_SOURCE_SCRIPTS;
#else
  return "";
#endif
}

std::string tool_description(const std::string& name, const std::string& text) {
  std::istringstream lines(text);
  const std::string file = name + ".bt";
  for (std::string line; std::getline(lines, line);) {
    std::string t = trim(line);
    for (const char* lead : {"/*", "//", "*"})
      if (t.rfind(lead, 0) == 0) {
        t = trim(t.substr(std::string(lead).size()));
        break;
      }
    if (t.rfind(file, 0) == 0) return trim(t.substr(file.size()));
  }
  return "";
}

std::vector<Tool> list_tools(const std::string& dir) {
  std::vector<Tool> tools;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".bt") continue;
    std::ifstream in(it->path());
    std::ostringstream text;
    text << in.rdbuf();
    std::string name = it->path().stem().string();
    tools.push_back({name, it->path().string(), tool_description(name, text.str())});
  }
  std::sort(tools.begin(), tools.end(),
            [](const Tool& a, const Tool& b) { return a.name < b.name; });
  return tools;
}

std::optional<std::string> find_tool(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
  std::string dir = tools_dir();
  if (dir.empty()) return std::nullopt;
  std::error_code ec;
  for (const std::string& candidate : {name, name + ".bt"}) {
    fs::path p = fs::path(dir) / candidate;
    if (p.extension() == ".bt" && fs::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

void print_tools(std::ostream& out) {
  std::string dir = tools_dir();
  auto tools = list_tools(dir);
  size_t width = 0;
  for (const auto& t : tools)
    width = std::max(width, t.name.size());
  for (const auto& t : tools)
    out << t.name << std::string(width + 2 - t.name.size(), ' ') << t.description << "\n";
  if (tools.empty()) out << "(no tools found in " << (dir.empty() ? "?" : dir) << ")\n";
}

} // namespace tracelet::cli
