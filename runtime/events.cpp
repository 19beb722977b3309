#include "runtime/events.h"
#include "runtime/tunables.h"

#include "ast/diagnostics.h"
#include "runtime/map_reader.h"
#include "runtime/output/json_output.h"
#include "runtime/output/map_printer.h"
#include "runtime/output/printf_format.h"
#include "runtime/output/value_format.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace tracelet::runtime {

using codegen::EventHeader;
using codegen::EventKind;

EventHandler::EventHandler(const codegen::CompiledProgram& program, std::vector<int> map_fds,
                           FILE* out, OutputFormat format)
    : program_(program), map_fds_(std::move(map_fds)), out_(out), format_(format) {}

void EventHandler::handle(const void* data, size_t size) {
  if (exit_requested_ || size < sizeof(EventHeader)) return;
  EventHeader header;
  std::memcpy(&header, data, sizeof header);
  const uint8_t* payload = static_cast<const uint8_t*>(data) + sizeof header;
  size_t payload_size = size - sizeof header;
  std::string text;
  switch (static_cast<EventKind>(header.kind)) {
  case EventKind::Printf:
    if (header.id < program_.printfs.size()) {
      const auto& desc = program_.printfs[header.id];
      text = format_printf(desc.format, desc.args, payload, payload_size, program_.probe_names);
      if (format_ == OutputFormat::Json) text = json_text_line("printf", text);
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
      text = helper_error_text(program_.helper_errors[header.id], retcode);
    }
    break;
  case EventKind::Time:
  case EventKind::Join:
  case EventKind::Cat:
  case EventKind::System:
    text = async_action(static_cast<EventKind>(header.kind), header.id, payload, payload_size);
    break;
  case EventKind::PrintValue:
    if (header.id < program_.print_values.size()) {
      const auto& type = program_.print_values[header.id].value;
      std::vector<uint8_t> value(type.size(), 0);
      std::memcpy(value.data(), payload, std::min<size_t>(payload_size, value.size()));
      text = format_ == OutputFormat::Json
                 ? "{\"type\": \"value\", \"data\": " +
                       json_value(type, value.data(), program_.probe_names) + "}\n"
                 : format_value(type, value.data(), program_.probe_names) + "\n";
    }
    break;
  }
  if (!text.empty()) std::fwrite(text.data(), 1, text.size(), out_);
}

// bpftrace 0.17 prints these on the output stream, not stderr: in text a located warning,
// in JSON {"type": "helper_error", "helper": ..., "retcode": ..., "line": ..., "col": ...}.
std::string EventHandler::helper_error_text(const codegen::HelperErrorDesc& desc,
                                            int64_t retcode) const {
  if (format_ == OutputFormat::Json)
    return "{\"type\": \"helper_error\", \"helper\": \"" + desc.helper +
           "\", \"retcode\": " + std::to_string(retcode) +
           ", \"line\": " + std::to_string(desc.loc.line) +
           ", \"col\": " + std::to_string(desc.loc.col) + "}\n";
  Diagnostic d{Severity::Warning, desc.loc,
               "Failed to " + desc.helper + ": " + std::strerror(static_cast<int>(-retcode)) +
                   " (" + std::to_string(retcode) + ")"};
  if (sources_) return sources_->format(d);
  return desc.loc.filename() + ":" + std::to_string(desc.loc.line) + ":" +
         std::to_string(desc.loc.col) + ": warning: " + d.message + "\n";
}

void EventHandler::print_map(const codegen::MapActionDesc& action) {
  if (action.map >= program_.maps.size() || action.map >= map_fds_.size() ||
      map_fds_[action.map] < 0)
    return;
  const auto& map = program_.maps[action.map];
  std::string text = format_map(map, read_map(map_fds_[action.map], map), program_.probe_names,
                                action.top, action.div, zeroed(action.map), format_);
  std::fwrite(text.data(), 1, text.size(), out_);
}

void EventHandler::lost(uint64_t count) {
  lost_total_ += count;
  if (format_ == OutputFormat::Json) {
    std::string line = json_counter_line("lost_events", "events", count);
    std::fwrite(line.data(), 1, line.size(), out_);
    return;
  }
  std::fprintf(out_, "Lost %llu events\n", static_cast<unsigned long long>(count));
}

EventReader::EventReader(int event_map_fd, EventHandler& handler) : handler_(handler) {
  // 64 pages per CPU (256 KiB) unless BPFTRACE_PERF_RB_PAGES says otherwise, as bpftrace.
  perf_buffer* pb = perf_buffer__new(event_map_fd, tunables().perf_rb_pages, on_sample, on_lost,
                                     this, nullptr);
  if (!pb) throw Error("cannot open the perf buffer for events: " + errno_text(errno));
  buffer_.reset(pb);
}

void EventReader::on_sample(void* ctx, int, void* data, __u32 size) {
  auto* self = static_cast<EventReader*>(ctx);
  if (self->pending_) return;
  try {
    self->handler_.handle(data, size);
  } catch (...) {
    self->pending_ = std::current_exception();
  }
}

void EventReader::on_lost(void* ctx, int, __u64 count) {
  static_cast<EventReader*>(ctx)->handler_.lost(count);
}

void EventReader::rethrow_pending() {
  if (pending_) std::rethrow_exception(std::exchange(pending_, nullptr));
}

void EventReader::poll(int timeout_ms) {
  int err = perf_buffer__poll(buffer_.get(), timeout_ms);
  rethrow_pending();
  if (err < 0 && err != -EINTR) throw Error("reading events failed: " + errno_text(err));
}

void EventReader::drain() {
  int err = perf_buffer__consume(buffer_.get());
  rethrow_pending();
  if (err < 0 && err != -EINTR) throw Error("reading events failed: " + errno_text(err));
}

} // namespace tracelet::runtime
