// Everything tracelet prints while a program runs goes through one Output, chosen once at
// start-up from -f (make_output): bpftrace 0.17's text (text_output.h) or its `-f json` lines
// (json_output.h). The runtime decides what to print and when; only the implementations decide
// how it looks, so no other part of runtime/ tests the output format.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/output/map_rows.h"
#include "runtime/output/output_format.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace tracelet {
class Diagnostics;
} // namespace tracelet

namespace tracelet::runtime {

class Output {
public:
  explicit Output(FILE* out) : out_(out) {}
  virtual ~Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // Where everything goes (-o FILE or stdout); flushed by the runtime at its own pace.
  FILE* file() const { return out_; }
  void flush() { std::fflush(out_); }

  // "Attaching N probes..." before the probes attach.
  virtual void attaching(size_t probes) = 0;
  // The text of one printf() event, already formatted (printf_format.h).
  virtual void printf_text(const std::string& text) = 0;
  // print(value): a non-map value of `type` laid out at `data`.
  virtual void value(const ast::Type& type, const uint8_t* data,
                     const std::vector<std::string>& probe_names) = 0;
  // print(@m, top, div) and each map at exit (top/div 0: not given; `zeroed`: see map_rows.h).
  virtual void map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                   const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                   bool zeroed) = 0;
  // Before the maps printed at exit: two newlines, in JSON too, as bpftrace 0.17.
  void exit_maps_start() { std::fputs("\n\n", out_); }

  // The user-space halves of the async actions: time()'s strftime text, join()'s joined
  // arguments, cat()'s file contents, system()'s command output.
  virtual void time(const std::string& text) = 0;
  virtual void join(const std::string& joined) = 0;
  virtual void cat(const std::string& contents) = 0;
  virtual void system(const std::string& command_output) = 0;

  // -k: a checked helper failed at `desc.loc` with `retcode`. bpftrace 0.17 prints these on the
  // output stream, not stderr. `sources` quotes the source line (nullptr: location only).
  virtual void helper_error(const codegen::HelperErrorDesc& desc, int64_t retcode,
                            const Diagnostics* sources) = 0;
  // The perf buffer dropped `count` events.
  virtual void lost_events(uint64_t count) = 0;

protected:
  void write(const std::string& text) { std::fwrite(text.data(), 1, text.size(), out_); }

private:
  FILE* out_;
};

// The Output of `format` writing to `out`.
std::unique_ptr<Output> make_output(OutputFormat format, FILE* out);

} // namespace tracelet::runtime
