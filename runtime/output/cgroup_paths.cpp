#include "runtime/output/cgroup_paths.h"

#include "ast/kernel_info.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

namespace tracelet::runtime {

namespace {

const std::vector<std::string>* active_filters = nullptr;

// mountinfo escapes ' ', '\t', '\n' and '\\' as octal "\040" and so on.
std::string unescape_mount_path(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The v1 hierarchy's name from its super options "rw,cpu,cpuacct" or "rw,name=systemd".
std::string v1_name(const std::string& super_options) {
  std::vector<std::string> controllers;
  std::stringstream ss(super_options);
  for (std::string opt; std::getline(ss, opt, ',');) {
    if (opt.rfind("name=", 0) == 0) return opt.substr(5);
    if (opt == "rw" || opt == "ro" || opt.find('=') != std::string::npos || opt == "noprefix" ||
        opt == "clone_children" || opt == "xattr" || opt == "cpuset_v2_mode" ||
        opt == "favordynmods")
      continue;
    controllers.push_back(opt);
  }
  std::string name;
  for (const auto& c : controllers)
    name += (name.empty() ? "" : ",") + c;
  return name;
}

// The path of the directory under `root` whose inode is `id`, relative to root ("/" for the
// root itself); "" if none.
std::string find_cgroup(const std::string& root, uint64_t id) {
  namespace fs = std::filesystem;
  struct stat st;
  if (stat(root.c_str(), &st) != 0) return "";
  if (st.st_ino == id) return "/";
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    if (stat(it->path().c_str(), &st) == 0 && st.st_ino == id)
      return "/" + fs::relative(it->path(), root, ec).string();
  }
  return "";
}

} // namespace

std::vector<CgroupHierarchy> cgroup_hierarchies(const std::string& mountinfo) {
  std::vector<CgroupHierarchy> v2, v1;
  std::stringstream lines(mountinfo);
  for (std::string line; std::getline(lines, line);) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    std::stringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;)
      f.push_back(w);
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) continue;
    const std::string& fstype = dash[1];
    std::string mount_point = unescape_mount_path(f[4]);
    if (fstype == "cgroup2") {
      if (v2.empty()) v2.push_back({"unified", mount_point});
    } else if (fstype == "cgroup") {
      std::string name = v1_name(dash[3]);
      bool seen = std::any_of(v1.begin(), v1.end(), [&](const auto& h) { return h.name == name; });
      if (!seen) v1.push_back({name, mount_point});
    }
  }
  std::sort(v1.begin(), v1.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  v2.insert(v2.end(), v1.begin(), v1.end());
  return v2;
}

std::string cgroup_paths(uint64_t id, const std::string& filter,
                         const std::vector<CgroupHierarchy>& hierarchies) {
  std::string out;
  for (const auto& h : hierarchies) {
    if (!ast::glob_match(filter, h.name)) continue;
    std::string path = find_cgroup(h.mount_point, id);
    if (path.empty()) continue;
    out += (out.empty() ? "" : ",") + h.name + ":" + path;
  }
  return out;
}

std::string format_cgroup_path_value(const uint8_t* data) {
  uint64_t filter_id, id;
  std::memcpy(&filter_id, data, 8);
  std::memcpy(&id, data + 8, 8);
  if (!active_filters || filter_id >= active_filters->size()) return "";
  static const std::vector<CgroupHierarchy> hierarchies = [] {
    std::ifstream in("/proc/self/mountinfo");
    std::stringstream text;
    text << in.rdbuf();
    return cgroup_hierarchies(text.str());
  }();
  // A cgroup keeps its path while it exists; a removed one's id is never reused.
  static std::map<std::pair<uint64_t, uint64_t>, std::string> cache;
  auto key = std::make_pair(filter_id, id);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  return cache[key] = cgroup_paths(id, (*active_filters)[filter_id], hierarchies);
}

ScopedCgroupPathFilters::ScopedCgroupPathFilters(const std::vector<std::string>& filters)
    : previous_(active_filters) {
  active_filters = &filters;
}

ScopedCgroupPathFilters::~ScopedCgroupPathFilters() {
  active_filters = previous_;
}

} // namespace tracelet::runtime
