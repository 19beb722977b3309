#include "runtime/events.h"
#include "codegen/watchpoint_events.h"
#include "runtime/tunables.h"

#include "ast/diagnostics.h"
#include "runtime/map_reader.h"
#include "runtime/output/printf_format.h"
#include "runtime/signals.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <linux/perf_event.h>
#include <unistd.h>
#include <utility>

namespace tracelet::runtime {

using codegen::EventHeader;
using codegen::EventKind;

EventHandler::EventHandler(const codegen::CompiledProgram& program, std::vector<int> map_fds,
                           Output& output)
    : program_(program), map_fds_(std::move(map_fds)), output_(output) {}

EventHandler::EventHandler(const codegen::CompiledProgram& program, std::vector<int> map_fds,
                           FILE* out, OutputFormat format)
    : program_(program), map_fds_(std::move(map_fds)), own_output_(make_output(format, out)),
      output_(*own_output_) {}

void EventHandler::handle(const void* data, size_t size) {
  if (exit_requested_ || size < sizeof(EventHeader)) return;
  EventHeader header;
  std::memcpy(&header, data, sizeof header);
  const uint8_t* payload = static_cast<const uint8_t*>(data) + sizeof header;
  size_t payload_size = size - sizeof header;
  if (header.kind == codegen::kWatchpointAttach || header.kind == codegen::kWatchpointDetach) {
    if (watchpoints_ && payload_size >= 8) {
      uint64_t address;
      std::memcpy(&address, payload, sizeof address);
      watchpoints_(header.kind, header.id, address);
    }
    return;
  }
  switch (static_cast<EventKind>(header.kind)) {
  case EventKind::Printf:
    if (header.id < program_.printfs.size()) {
      const auto& desc = program_.printfs[header.id];
      output_.printf_text(
          format_printf(desc.format, desc.args, payload, payload_size, program_.probe_names));
    }
    break;
  case EventKind::Exit:
    exit_requested_ = true;
    break;
  case EventKind::PrintMap:
    if (header.id < program_.map_actions.size()) print_map(program_.map_actions[header.id]);
    break;
  case EventKind::ClearMap:
  case EventKind::ZeroMap:
    if (header.id < program_.map_actions.size()) {
      size_t m = program_.map_actions[header.id].map;
      bool clear = static_cast<EventKind>(header.kind) == EventKind::ClearMap;
      if (m < program_.maps.size()) {
        zeroed_.resize(program_.maps.size());
        zeroed_[m] = !clear;
      }
      if (m < map_fds_.size() && map_fds_[m] >= 0) {
        if (clear)
          clear_map(map_fds_[m], program_.maps[m]);
        else
          zero_map(map_fds_[m], program_.maps[m]);
      }
    }
    break;
  case EventKind::HelperError:
    if (header.id < program_.helper_errors.size() && payload_size >= 8) {
      int64_t retcode;
      std::memcpy(&retcode, payload, sizeof retcode);
      if (++helper_warnings_ <= kHelperWarningsShown) {
        output_.helper_error(program_.helper_errors[header.id], retcode, sources_);
      } else {
        ++suppressed_warnings_;
        timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t now = uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
        if (last_summary_ns_ == 0) last_summary_ns_ = now; // the first second starts here
        if (now - last_summary_ns_ >= 1000000000ull) {
          report_suppressed_warnings();
          last_summary_ns_ = now;
        }
      }
    }
    break;
  case EventKind::Time:
  case EventKind::Join:
  case EventKind::Cat:
  case EventKind::System:
    if (static_cast<EventKind>(header.kind) == EventKind::System && !run_commands_) {
      ++commands_not_run_;
      break;
    }
    async_action(static_cast<EventKind>(header.kind), header.id, payload, payload_size);
    break;
  case EventKind::PrintValue:
    if (header.id < program_.print_values.size()) {
      const auto& type = program_.print_values[header.id].value;
      std::vector<uint8_t> value(type.size(), 0);
      std::memcpy(value.data(), payload, std::min<size_t>(payload_size, value.size()));
      output_.value(type, value.data(), program_.probe_names);
    }
    break;
  }
}

void EventHandler::print_map(const codegen::MapActionDesc& action) {
  if (action.map >= program_.maps.size() || action.map >= map_fds_.size() ||
      map_fds_[action.map] < 0)
    return;
  const auto& map = program_.maps[action.map];
  output_.map(map, read_map(map_fds_[action.map], map), program_.probe_names, action.top,
              action.div, zeroed(action.map));
}

void EventHandler::report_suppressed_warnings() {
  if (suppressed_warnings_ == 0) return;
  std::fprintf(stderr,
               "tracelet: warning: %llu more failed helper calls not shown (the first %llu are, "
               "then a count at most once a second)\n",
               static_cast<unsigned long long>(suppressed_warnings_),
               static_cast<unsigned long long>(kHelperWarningsShown));
  suppressed_warnings_ = 0;
}

void EventHandler::lost(uint64_t count) {
  lost_total_ += count;
  output_.lost_events(count);
}

namespace {

// libbpf's perf_buffer__new() attributes, plus PERF_FORMAT_LOST: read() on each CPU's event then
// gives the kernel's count of dropped samples.
perf_buffer* open_perf_buffer(int map_fd, perf_buffer_event_fn on_event, void* ctx,
                              bool count_lost) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_BPF_OUTPUT;
  attr.sample_type = PERF_SAMPLE_RAW;
  attr.sample_period = 1;
  attr.wakeup_events = 1;
  if (count_lost) attr.read_format = PERF_FORMAT_LOST;
  // 64 pages per CPU (256 KiB) unless BPFTRACE_PERF_RB_PAGES says otherwise, as bpftrace.
  return perf_buffer__new_raw(map_fd, tunables().perf_rb_pages, &attr, on_event, ctx, nullptr);
}

// The records of a PERF_TYPE_SOFTWARE/BPF_OUTPUT event with PERF_SAMPLE_RAW.
struct SampleRecord {
  perf_event_header header;
  uint32_t size;
  uint8_t data[];
};
struct LostRecord {
  perf_event_header header;
  uint64_t id;
  uint64_t lost;
};

} // namespace

EventReader::EventReader(int event_map_fd, EventHandler& handler) : handler_(handler) {
  perf_buffer* pb = open_perf_buffer(event_map_fd, on_event, this, true);
  kernel_counts_lost_ = pb != nullptr;
  if (!pb && errno == EINVAL) pb = open_perf_buffer(event_map_fd, on_event, this, false);
  if (!pb) throw Error("cannot open the perf buffer for events: " + errno_text(errno));
  buffer_.reset(pb);
}

enum bpf_perf_event_ret EventReader::on_event(void* ctx, int, struct perf_event_header* event) {
  auto* self = static_cast<EventReader*>(ctx);
  if (self->pending_) return LIBBPF_PERF_EVENT_CONT;
  try {
    if (event->type == PERF_RECORD_SAMPLE && event->size >= sizeof(SampleRecord)) {
      auto* sample = reinterpret_cast<const SampleRecord*>(event);
      size_t size = std::min<size_t>(sample->size, event->size - sizeof(SampleRecord));
      self->handler_.handle(sample->data, size);
    } else if (event->type == PERF_RECORD_LOST && event->size >= sizeof(LostRecord)) {
      uint64_t lost;
      std::memcpy(&lost, reinterpret_cast<const uint8_t*>(event) + offsetof(LostRecord, lost),
                  sizeof lost);
      self->lost_seen_ += lost;
      self->handler_.lost(lost);
    }
  } catch (...) {
    self->pending_ = std::current_exception();
  }
  // libbpf has consumed this record; the rest stay in the buffer for the drain at exit.
  if (self->polling_ && StopSignals::received()) return LIBBPF_PERF_EVENT_DONE;
  return LIBBPF_PERF_EVENT_CONT;
}

void EventReader::report_unseen_losses() {
  if (!kernel_counts_lost_) return;
  uint64_t dropped = 0;
  size_t buffers = perf_buffer__buffer_cnt(buffer_.get());
  for (size_t i = 0; i < buffers; ++i) {
    int fd = perf_buffer__buffer_fd(buffer_.get(), i);
    uint64_t values[2]; // {count, lost} for read_format = PERF_FORMAT_LOST
    if (fd < 0 || ::read(fd, values, sizeof values) != static_cast<ssize_t>(sizeof values))
      return; // no exact count to give: report nothing rather than a guess
    dropped += values[1];
  }
  if (dropped > lost_seen_) {
    handler_.lost(dropped - lost_seen_);
    lost_seen_ = dropped;
  }
}

void EventReader::rethrow_pending() {
  if (pending_) std::rethrow_exception(std::exchange(pending_, nullptr));
}

void EventReader::poll(int timeout_ms) {
  polling_ = true;
  int err = perf_buffer__poll(buffer_.get(), timeout_ms);
  polling_ = false;
  rethrow_pending();
  if (err < 0 && err != -EINTR) throw Error("reading events failed: " + errno_text(err));
}

void EventReader::drain() {
  int err = perf_buffer__consume(buffer_.get());
  rethrow_pending();
  if (err < 0 && err != -EINTR) throw Error("reading events failed: " + errno_text(err));
}

} // namespace tracelet::runtime
