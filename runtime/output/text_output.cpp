#include "runtime/output/text_output.h"

#include "ast/diagnostics.h"
#include "runtime/output/map_printer.h"
#include "runtime/output/value_format.h"

#include <cstring>

namespace tracelet::runtime {

void TextOutput::attaching(size_t probes) {
  write("Attaching " + std::to_string(probes) + " probe" + (probes == 1 ? "" : "s") + "...\n");
}

void TextOutput::printf_text(const std::string& text) {
  write(text);
}

void TextOutput::value(const ast::Type& type, const uint8_t* data,
                       const std::vector<std::string>& probe_names) {
  write(format_value(type, data, probe_names) + "\n");
}

void TextOutput::map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                     const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                     bool zeroed) {
  write(format_map(map, entries, probe_names, top, div, zeroed));
}

void TextOutput::time(const std::string& text) {
  write(text);
}

void TextOutput::join(const std::string& joined) {
  write(joined + "\n");
}

void TextOutput::cat(const std::string& contents) {
  write(contents);
}

void TextOutput::system(const std::string& command_output) {
  write(command_output);
}

// A located warning, as the compiler's diagnostics.
void TextOutput::helper_error(const codegen::HelperErrorDesc& desc, int64_t retcode,
                              const Diagnostics* sources) {
  // A map lookup has no error code: its element is not there (bpftrace: "...: 0").
  std::string why = desc.helper == "map_lookup_elem" ? std::string("no such element")
                                                     : std::strerror(static_cast<int>(-retcode));
  Diagnostic d{Severity::Warning, desc.loc,
               "Failed to " + desc.helper + ": " + why + " (" + std::to_string(retcode) + ")"};
  if (sources) {
    write(sources->format(d));
    return;
  }
  write(desc.loc.filename() + ":" + std::to_string(desc.loc.line) + ":" +
        std::to_string(desc.loc.col) + ": warning: " + d.message + "\n");
}

void TextOutput::lost_events(uint64_t count) {
  write("Lost " + std::to_string(count) + " events\n");
}

} // namespace tracelet::runtime
