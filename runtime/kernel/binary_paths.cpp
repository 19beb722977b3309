#include "runtime/kernel/binary_paths.h"

#include <algorithm>
#include <glob.h>
#include <limits.h>
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

} // namespace tracelet::runtime
