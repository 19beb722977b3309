#include "runtime/kernel/binary_paths.h"

#include <algorithm>
#include <fstream>
#include <glob.h>
#include <limits.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tracelet::runtime {

std::vector<std::string> match_binary_paths(const std::string& glob) {
  std::vector<std::string> paths;
  glob_t found{};
  if (::glob(glob.c_str(), 0, nullptr, &found) == 0) {
    for (size_t i = 0; i < found.gl_pathc; ++i) {
      struct stat st;
      const char* path = found.gl_pathv[i];
      if (::stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
        paths.emplace_back(path);
    }
  }
  ::globfree(&found);
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string process_binary_path(int pid) {
  std::string proc = "/proc/" + std::to_string(pid);
  char target[PATH_MAX];
  ssize_t n = ::readlink((proc + "/exe").c_str(), target, sizeof target - 1);
  if (n <= 0) return "";
  return proc + "/root" + std::string(target, static_cast<size_t>(n));
}

std::vector<std::string> process_files(int pid) {
  std::string program = process_binary_path(pid);
  if (program.empty()) return {};
  std::string root = "/proc/" + std::to_string(pid) + "/root";
  std::vector<std::string> files = {program};
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  // "start-end perms offset dev inode   path": file-backed mappings have a path from '/'.
  for (std::string line; std::getline(maps, line);) {
    std::istringstream fields(line);
    std::string range, perms, offset, dev, inode;
    fields >> range >> perms >> offset >> dev >> inode;
    size_t slash = line.find('/');
    if (perms.size() < 3 || perms[2] != 'x' || slash == std::string::npos) continue;
    std::string path = root + line.substr(slash);
    if (path.size() > 10 && path.compare(path.size() - 10, 10, " (deleted)") == 0) continue;
    if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
  }
  return files;
}

} // namespace tracelet::runtime
