// The user-space half of time(), join(), cat() and system(), as bpftrace 0.17 prints them:
//   time     the local time through strftime(3) (text: as formatted; json: "time")
//   join     the arguments joined by the separator, then "\n" (json: "join", no "\n")
//   cat      the first 10240 bytes of the file (json: "cat")
//   system   the command's standard output, through /bin/sh (json: "syscall")
#include "runtime/events.h"
#include "runtime/tunables.h"

#include "runtime/output/json_output.h"
#include "runtime/output/printf_format.h"
#include "runtime/output/user_values.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace tracelet::runtime {

using codegen::EventKind;

namespace {

// bpftrace's BPFTRACE_CAT_BYTES_MAX default.

std::string read_file_start(const std::string& path, size_t max_bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "tracelet: cat: failed to open file '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return "";
  }
  std::string out(max_bytes, '\0');
  file.read(out.data(), static_cast<std::streamsize>(max_bytes));
  out.resize(static_cast<size_t>(file.gcount()));
  if (file.bad())
    std::fprintf(stderr, "tracelet: cat: failed to read file '%s': %s\n", path.c_str(),
                 std::strerror(errno));
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

std::string EventHandler::async_action(EventKind kind, uint32_t id, const uint8_t* payload,
                                       size_t payload_size) {
  bool json = format_ == OutputFormat::Json;
  switch (kind) {
  case EventKind::Time: {
    if (id >= program_.time_formats.size()) return "";
    const std::string& format = program_.time_formats[id];
    auto text = format_current_time(format);
    if (!text) {
      std::fprintf(stderr,
                   "tracelet: time(\"%s\"): the text is empty or longer than 63 characters; "
                   "nothing printed\n",
                   format.c_str());
      return "";
    }
    return json ? json_text_line("time", *text) : *text;
  }
  case EventKind::Join: {
    if (id >= program_.join_separators.size()) return "";
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
    return json ? json_text_line("join", joined) : joined + "\n";
  }
  case EventKind::Cat:
  case EventKind::System: {
    bool cat = kind == EventKind::Cat;
    const auto& descs = cat ? program_.cats : program_.systems;
    if (id >= descs.size()) return "";
    const auto& desc = descs[id];
    std::string name =
        format_printf(desc.format, desc.args, payload, payload_size, program_.probe_names);
    std::string text;
    if (cat) {
      text = read_file_start(name, tunables().cat_bytes_max);
    } else {
      std::fflush(out_); // what was printed before the command's own stderr
      text = command_output(name);
    }
    return json ? json_text_line(cat ? "cat" : "syscall", text) : text;
  }
  default:
    return "";
  }
}

} // namespace tracelet::runtime
