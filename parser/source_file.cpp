#include "parser/source_file.h"

#include "ast/diagnostics.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tracelet::parser {

namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw Error("cannot read the program '" + path + "': " + why);
}

} // namespace

std::string read_program_file(const std::string& path, size_t max_bytes) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) fail(path, std::strerror(errno));
  struct stat st;
  if (::fstat(f.fd, &st) != 0) fail(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(path, "it is a directory");
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes)
    fail(path, "it is larger than " + std::to_string(max_bytes >> 20) + " MiB");
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, std::strerror(errno));
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > max_bytes)
      fail(path, "it is larger than " + std::to_string(max_bytes >> 20) + " MiB");
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

} // namespace tracelet::parser
