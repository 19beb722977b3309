// RAII owners for libbpf objects and file descriptors, and the translation of libbpf failures
// into one-line tracelet::Error messages. libbpf's own printing is captured, never shown
// (except with -v), so that a clean run prints nothing on stderr.
#pragma once

#include <bpf/libbpf.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace tracelet::runtime {

// An owned file descriptor, closed on destruction.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release();
  void reset(int fd = -1);

private:
  int fd_ = -1;
};

struct LinkDeleter {
  void operator()(bpf_link* link) const { bpf_link__destroy(link); }
};
// One attachment; destroying it detaches the program.
using Link = std::unique_ptr<bpf_link, LinkDeleter>;

struct PerfBufferDeleter {
  void operator()(perf_buffer* pb) const { perf_buffer__free(pb); }
};
using PerfBufferPtr = std::unique_ptr<perf_buffer, PerfBufferDeleter>;

// Routes libbpf's messages into a buffer (and to stderr as well with `verbose`). Installed once
// by BpfObject; the buffer is read to explain a failure.
class LibbpfMessages {
public:
  static void install(bool verbose);
  static void clear();
  static std::string captured();
};

// Raises RLIMIT_MEMLOCK for kernels that still charge BPF memory to it. Newer kernels account
// BPF memory to the memory cgroup instead, so failing here is not an error and stays silent.
void raise_memlock_limit();

// The opened (and later loaded) BPF object.
class BpfObject {
public:
  // Opens the ELF from memory. Throws tracelet::Error if libbpf refuses it.
  BpfObject(const std::vector<uint8_t>& elf, bool verbose);

  // Loads every program (with autoload on) into the kernel. On a verifier rejection throws
  // tracelet::Error naming the program and the verifier's reason; with verbose the full
  // verifier log is printed to stderr first.
  void load();

  bpf_object* get() const { return obj_.get(); }
  // By name from an index built at open (libbpf's own lookup is a linear scan: with one
  // program per probe, looking every probe up was quadratic in the number of probes).
  bpf_program* program(const std::string& func_name) const; // throws if absent
  bpf_map* map(const std::string& elf_name) const;          // throws if absent
  int map_fd(const std::string& elf_name) const;            // after load; throws if absent

private:
  struct ObjectDeleter {
    void operator()(bpf_object* obj) const { bpf_object__close(obj); }
  };
  std::unique_ptr<bpf_object, ObjectDeleter> obj_;
  std::unordered_map<std::string, bpf_program*> programs_;
  bool verbose_ = false;
  // The verifier's log, BPFTRACE_LOG_SIZE bytes (runtime/tunables.h): filled when a program is
  // rejected, and for every program with -v (a log that does not fit fails the load, as in
  // bpftrace).
  // Allocated, not zeroed: pages the kernel never writes stay out of the resident set.
  std::unique_ptr<char[]> log_;
  size_t log_size_ = 0;
};

// "name: strerror(-err)" for a negative libbpf/errno code.
std::string errno_text(int err);

} // namespace tracelet::runtime

namespace tracelet::runtime {

// From libbpf's messages about a failed load, a one-line explanation: the failing program, the
// error, and the verifier's reason (the last informative line of its log). Exposed for tests.
std::string summarize_load_failure(const std::string& libbpf_messages);

} // namespace tracelet::runtime
