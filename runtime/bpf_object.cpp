#include "runtime/bpf_object.h"

#include "runtime/tunables.h"

#include "ast/diagnostics.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

namespace tracelet::runtime {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

std::mutex g_messages_mutex;
std::string g_messages;
bool g_verbose = false;

int capture_libbpf_message(enum libbpf_print_level level, const char* format, va_list args) {
  char buf[4096];
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(buf, sizeof buf, format, copy);
  va_end(copy);
  std::string text;
  if (n >= static_cast<int>(sizeof buf)) {
    // Verifier logs can be long: format again into a buffer of the right size.
    text.resize(static_cast<size_t>(n) + 1);
    std::vsnprintf(text.data(), text.size(), format, args);
    text.resize(static_cast<size_t>(n));
  } else if (n > 0) {
    text.assign(buf, static_cast<size_t>(n));
  }
  std::lock_guard lock(g_messages_mutex);
  if (level != LIBBPF_DEBUG) g_messages += text;
  if (g_verbose && level != LIBBPF_DEBUG) std::fputs(text.c_str(), stderr);
  return n;
}

} // namespace

void LibbpfMessages::install(bool verbose) {
  std::lock_guard lock(g_messages_mutex);
  g_verbose = verbose;
  libbpf_set_print(capture_libbpf_message);
}

void LibbpfMessages::clear() {
  std::lock_guard lock(g_messages_mutex);
  g_messages.clear();
}

std::string LibbpfMessages::captured() {
  std::lock_guard lock(g_messages_mutex);
  return g_messages;
}

void raise_memlock_limit() {
  struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
  ::setrlimit(RLIMIT_MEMLOCK, &unlimited); // failure is fine: see the header
}

std::string errno_text(int err) {
  return std::strerror(err < 0 ? -err : err);
}

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    s.pop_back();
  size_t start = s.find_first_not_of(' ');
  return start == std::string::npos ? "" : s.substr(start);
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

} // namespace

std::string summarize_load_failure(const std::string& messages) {
  std::istringstream in(messages);
  std::string line, failure, reason;
  bool in_log = false;
  while (std::getline(in, line)) {
    if (starts_with(line, "libbpf: ")) line = line.substr(8);
    if (line.find("-- BEGIN PROG LOAD LOG --") != std::string::npos) {
      in_log = true;
      continue;
    }
    if (line.find("-- END PROG LOAD LOG --") != std::string::npos) {
      in_log = false;
      continue;
    }
    if (in_log) {
      // The verifier ends with statistics; the reason is the last line before them.
      std::string t = trim(line);
      if (t.empty() || starts_with(t, "processed ") || starts_with(t, "verification time") ||
          starts_with(t, "stack depth") || starts_with(t, "mark_precise"))
        continue;
      reason = t;
    } else if (failure.empty() && line.find("load failed") != std::string::npos) {
      failure = trim(line);
    }
  }
  if (failure.empty()) {
    // No program-level message: report libbpf's first warning instead.
    std::istringstream again(messages);
    while (std::getline(again, line))
      if (!trim(line).empty()) {
        failure = trim(starts_with(line, "libbpf: ") ? line.substr(8) : line);
        break;
      }
  }
  std::string out = failure.empty() ? "loading the BPF object failed" : failure;
  if (!reason.empty()) out += "; verifier: " + reason;
  return out;
}

BpfObject::BpfObject(const std::vector<uint8_t>& elf, bool verbose) : verbose_(verbose) {
  LibbpfMessages::install(verbose);
  LibbpfMessages::clear();
  log_size_ = tunables().log_size;
  log_.reset(new char[log_size_]);
  log_[0] = '\0';
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "tracelet", .kernel_log_buf = log_.get(),
              .kernel_log_size = log_size_, .kernel_log_level = verbose ? 1u : 0u);
  bpf_object* obj = bpf_object__open_mem(elf.data(), elf.size(), &opts);
  if (!obj) {
    int err = errno;
    std::string detail = trim(LibbpfMessages::captured());
    size_t nl = detail.find('\n');
    if (nl != std::string::npos) detail = detail.substr(0, nl);
    throw Error(
        "libbpf cannot open the compiled BPF object: " + errno_text(err) +
        (detail.empty()
             ? ""
             : " (" + trim(starts_with(detail, "libbpf: ") ? detail.substr(8) : detail) + ")"));
  }
  obj_.reset(obj);
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj) programs_.emplace(bpf_program__name(prog), prog);
}

void BpfObject::load() {
  raise_memlock_limit();
  LibbpfMessages::clear();
  int err = bpf_object__load(obj_.get());
  if (err) {
    std::string log(log_.get(), strnlen(log_.get(), log_size_));
    if (err == -ENOSPC)
      throw Error("the verifier log does not fit in BPFTRACE_LOG_SIZE=" +
                  std::to_string(log_size_) + " bytes; raise BPFTRACE_LOG_SIZE");
    if (verbose_) std::fputs(log.c_str(), stderr);
    // libbpf hands a log it did not allocate to nobody: wrap it as libbpf prints its own.
    std::string msg =
        summarize_load_failure(LibbpfMessages::captured() + "-- BEGIN PROG LOAD LOG --\n" + log +
                               "\n-- END PROG LOAD LOG --\n");
    if (!verbose_) msg += " (run with -v for the full verifier log)";
    throw Error(msg);
  }
}

bpf_program* BpfObject::program(const std::string& func_name) const {
  auto it = programs_.find(func_name);
  bpf_program* prog = it == programs_.end() ? nullptr : it->second;
  if (!prog) throw Error("BPF program '" + func_name + "' is missing from the compiled object");
  return prog;
}

bpf_map* BpfObject::map(const std::string& elf_name) const {
  bpf_map* m = bpf_object__find_map_by_name(obj_.get(), elf_name.c_str());
  if (!m) throw Error("BPF map '" + elf_name + "' is missing from the compiled object");
  return m;
}

int BpfObject::map_fd(const std::string& elf_name) const {
  int fd = bpf_map__fd(map(elf_name));
  if (fd < 0) throw Error("BPF map '" + elf_name + "' has not been created");
  return fd;
}

} // namespace tracelet::runtime
