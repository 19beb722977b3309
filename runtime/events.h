// Events from BPF programs (printf, exit, print, clear, zero) read through a perf buffer and
// acted on in user space.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/bpf_object.h"
#include "runtime/output/output_format.h"

#include <atomic>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace tracelet {
class Diagnostics;
} // namespace tracelet

namespace tracelet::runtime {

// Decodes and acts on one event record at a time. Separate from the perf buffer so that unit
// tests can feed it records.
class EventHandler {
public:
  // map_fds[i] is the fd of program.maps[i] (-1 when there is no kernel map, in tests).
  // `format`: text as bpftrace prints it, or bpftrace's -f json lines.
  EventHandler(const codegen::CompiledProgram& program, std::vector<int> map_fds, FILE* out,
               OutputFormat format = OutputFormat::Text);

  // The program's source texts, so that -k helper warnings quote the line (nullptr: they
  // print the location and message only).
  void quote_sources_from(const Diagnostics* sources) { sources_ = sources; }

  void handle(const void* data, size_t size);
  void lost(uint64_t count);

  // exit() was called. Events after it are ignored, as bpftrace does, until END runs.
  bool exit_requested() const { return exit_requested_; }
  void accept_events_again() { exit_requested_ = false; }
  uint64_t lost_total() const { return lost_total_; } // any thread (--metrics)
  // zero() was applied to maps[i] since its last clear() (see format_map).
  bool zeroed(size_t map) const { return map < zeroed_.size() && zeroed_[map]; }

private:
  void print_map(const codegen::MapActionDesc& action);
  std::string helper_error_text(const codegen::HelperErrorDesc& desc, int64_t retcode) const;
  // time(), join(), cat(), system() (runtime/async_actions.cpp): the text to print.
  std::string async_action(codegen::EventKind kind, uint32_t id, const uint8_t* payload,
                           size_t payload_size);

  const codegen::CompiledProgram& program_;
  std::vector<int> map_fds_;
  FILE* out_;
  OutputFormat format_;
  const Diagnostics* sources_ = nullptr;
  std::vector<bool> zeroed_;
  bool exit_requested_ = false;
  std::atomic<uint64_t> lost_total_{0};
};

// The perf buffer on CompiledProgram::event_map (all CPUs), feeding an EventHandler.
class EventReader {
public:
  EventReader(int event_map_fd, EventHandler& handler);

  // Waits up to timeout_ms for events and handles them. A signal ends the wait early.
  void poll(int timeout_ms);
  // Handles whatever is already in the buffers, without waiting.
  void drain();

private:
  static void on_sample(void* ctx, int cpu, void* data, __u32 size);
  static void on_lost(void* ctx, int cpu, __u64 count);

  void rethrow_pending();

  EventHandler& handler_;
  PerfBufferPtr buffer_;
  // An error raised while handling an event; libbpf's C frames must not be unwound through, so
  // it is kept here and rethrown once the poll returns.
  std::exception_ptr pending_;
};

} // namespace tracelet::runtime
