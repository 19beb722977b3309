#include "runtime/output_file.h"

#include "ast/diagnostics.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tracelet::runtime {

namespace {

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw Error("cannot open '" + path + "': " + why);
}

} // namespace

FILE* open_output_file(const std::string& path) {
  struct stat dir;
  bool shared_dir = ::stat(parent_dir(path).c_str(), &dir) == 0 && (dir.st_mode & S_IWOTH);
  // Truncated only once checked: a file planted by another user is left as it is.
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY;
  if (shared_dir) flags |= O_NOFOLLOW;
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0 && shared_dir) {
    // ELOOP, or EACCES from kernels that refuse O_CREAT on such a link outright.
    struct stat link;
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
      fail(path, "it is a symbolic link in a world-writable directory (not followed)");
  }
  if (fd < 0) fail(path, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    fail(path, std::strerror(err));
  }
  if (shared_dir && st.st_uid != ::geteuid()) {
    ::close(fd);
    fail(path, "it belongs to another user in a world-writable directory");
  }
  if (S_ISREG(st.st_mode) && ::ftruncate(fd, 0) != 0) {
    int err = errno;
    ::close(fd);
    fail(path, std::strerror(err));
  }
  FILE* f = ::fdopen(fd, "w");
  if (!f) {
    int err = errno;
    ::close(fd);
    fail(path, std::strerror(err));
  }
  return f;
}

} // namespace tracelet::runtime
