// The user-space half of time(), join(), cat() and system(), as bpftrace 0.17 runs them (the
// Output lays the results out):
//   time     the local time through strftime(3)
//   join     the arguments joined by the separator
//   cat      the first 10240 bytes of the file
//   system   the command's standard output, through /bin/sh
#include "runtime/events.h"
#include "runtime/tunables.h"

#include "runtime/output/printf_format.h"
#include "runtime/output/user_values.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace tracelet::runtime {

using codegen::EventKind;

namespace {


// Only regular files, opened without blocking: a FIFO (or a device) named by cat() would stall
// the event loop, and root must not be steered into reading one.
std::string read_file_start(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    std::fprintf(stderr, "tracelet: cat: failed to open file '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return "";
  }
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fprintf(stderr, "tracelet: cat: '%s' is not a regular file\n", path.c_str());
    return "";
  }
  std::string out(max_bytes, '\0');
  size_t have = 0;
  while (have < max_bytes) {
    ssize_t n = ::read(fd, out.data() + have, max_bytes - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::fprintf(stderr, "tracelet: cat: failed to read file '%s': %s\n", path.c_str(),
                   std::strerror(errno));
      break;
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  out.resize(have);
  return out;
}

std::string command_output(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), &::pclose);
  if (!pipe) {
    std::fprintf(stderr, "tracelet: system: cannot run '%s': %s\n", command.c_str(),
                 std::strerror(errno));
    return "";
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0)
    out.append(buf, n);
  return out;
}

} // namespace

void EventHandler::async_action(EventKind kind, uint32_t id, const uint8_t* payload,
                                size_t payload_size) {
  switch (kind) {
  case EventKind::Time: {
    if (id >= program_.time_formats.size()) return;
    const std::string& format = program_.time_formats[id];
    auto text = format_current_time(format);
    if (!text) {
      std::fprintf(stderr,
                   "tracelet: time(\"%s\"): the text is empty or longer than 63 characters; "
                   "nothing printed\n",
                   format.c_str());
      return;
    }
    output_.time(*text);
    return;
  }
  case EventKind::Join: {
    if (id >= program_.join_separators.size()) return;
    std::string joined;
    for (uint32_t i = 0; i < codegen::kJoinArgs; ++i) {
      size_t at = size_t(i) * codegen::kJoinArgSize;
      if (at >= payload_size || payload[at] == 0) break;
      if (i) joined += program_.join_separators[id];
      size_t room = std::min<size_t>(codegen::kJoinArgSize, payload_size - at);
      const void* nul = std::memchr(payload + at, 0, room);
      size_t len =
          nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - (payload + at)) : room;
      joined.append(reinterpret_cast<const char*>(payload + at), len);
    }
    output_.join(joined);
    return;
  }
  case EventKind::Cat:
  case EventKind::System: {
    bool cat = kind == EventKind::Cat;
    const auto& descs = cat ? program_.cats : program_.systems;
    if (id >= descs.size()) return;
    const auto& desc = descs[id];
    std::string name =
        format_printf(desc.format, desc.args, payload, payload_size, program_.probe_names);
    if (cat) {
      output_.cat(read_file_start(name, tunables().cat_bytes_max));
    } else {
      output_.flush(); // what was printed before the command's own stderr
      output_.system(command_output(name));
    }
    return;
  }
  default:
    return;
  }
}

} // namespace tracelet::runtime
