// Events from BPF programs (printf, exit, print, clear, zero) read through a perf buffer and
// acted on in user space.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/bpf_object.h"
#include "runtime/output/output.h"

#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
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
  // Everything the events print goes to `output`.
  EventHandler(const codegen::CompiledProgram& program, std::vector<int> map_fds, Output& output);
  // The same, printing in `format` to `out` (an Output of its own, for tests).
  EventHandler(const codegen::CompiledProgram& program, std::vector<int> map_fds, FILE* out,
               OutputFormat format = OutputFormat::Text);

  // The program's source texts, so that -k helper warnings quote the line (nullptr: they
  // print the location and message only).
  void quote_sources_from(const Diagnostics* sources) { sources_ = sources; }

  void handle(const void* data, size_t size);
  // Watchpoint events (attach at an address, unwatch(): codegen/watchpoint_events.h) go to
  // `serve` (runtime/attach/watchpoint.h).
  using WatchpointEvents = std::function<void(uint32_t kind, uint32_t id, uint64_t address)>;
  void serve_watchpoints(WatchpointEvents serve) { watchpoints_ = std::move(serve); }
  void lost(uint64_t count);

  // exit() was called. Events after it are ignored, as bpftrace does, until END runs.
  bool exit_requested() const { return exit_requested_; }
  void accept_events_again() { exit_requested_ = false; }
  uint64_t lost_total() const { return lost_total_; } // any thread (--metrics)
  // After a stop signal: system() commands still queued are counted, not run, so that a flood
  // of them cannot delay the detach and END.
  void stop_running_commands() { run_commands_ = false; }
  // -k/-kk warnings are rate-limited: the first kHelperWarningsShown are printed, later ones
  // counted and summed up on stderr at most once a second, and at exit by this.
  static constexpr uint64_t kHelperWarningsShown = 10;
  void report_suppressed_warnings();
  uint64_t commands_not_run() const { return commands_not_run_; }
  // zero() was applied to maps[i] since its last clear() (see format_map).
  bool zeroed(size_t map) const { return map < zeroed_.size() && zeroed_[map]; }

private:
  void print_map(const codegen::MapActionDesc& action);
  // time(), join(), cat(), system() (runtime/async_actions.cpp).
  void async_action(codegen::EventKind kind, uint32_t id, const uint8_t* payload,
                    size_t payload_size);

  const codegen::CompiledProgram& program_;
  std::vector<int> map_fds_;
  std::unique_ptr<Output> own_output_; // only with the FILE* constructor
  Output& output_;
  const Diagnostics* sources_ = nullptr;
  std::vector<bool> zeroed_;
  bool exit_requested_ = false;
  std::atomic<uint64_t> lost_total_{0};
  bool run_commands_ = true;
  uint64_t helper_warnings_ = 0;     // -k warnings received
  uint64_t suppressed_warnings_ = 0; // not yet summed up
  uint64_t last_summary_ns_ = 0;
  uint64_t commands_not_run_ = 0;
  WatchpointEvents watchpoints_;
};

// The perf buffer on CompiledProgram::event_map (all CPUs), feeding an EventHandler.
class EventReader {
public:
  EventReader(int event_map_fd, EventHandler& handler);

  // Waits up to timeout_ms for events and handles them. A signal ends the wait early, and a
  // stop signal (SIGINT, SIGTERM, SIGHUP) also the handling, after the current event.
  void poll(int timeout_ms);
  // Handles whatever is already in the buffers, without waiting.
  void drain();
  // After the last drain: reports the events the kernel dropped that no lost record has
  // reported yet (the kernel writes a lost record only before the next sample that fits, so
  // the losses at the end of a burst are otherwise never seen). With this, delivered + lost =
  // sent, exactly. Needs PERF_FORMAT_LOST (Linux 6.0); without it, does nothing.
  void report_unseen_losses();

private:
  static enum bpf_perf_event_ret on_event(void* ctx, int cpu, struct perf_event_header* event);

  void rethrow_pending();

  // Losses reported by the kernel's lost records so far.
  uint64_t lost_seen_ = 0;
  bool kernel_counts_lost_ = false;
  bool polling_ = false;

  EventHandler& handler_;
  PerfBufferPtr buffer_;
  // An error raised while handling an event; libbpf's C frames must not be unwound through, so
  // it is kept here and rethrown once the poll returns.
  std::exception_ptr pending_;
};

} // namespace tracelet::runtime
