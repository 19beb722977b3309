// bpftrace 0.17's text output.
#pragma once

#include "runtime/output/output.h"

namespace tracelet::runtime {

class TextOutput final : public Output {
public:
  using Output::Output;

  void attaching(size_t probes) override;
  void printf_text(const std::string& text) override;
  void value(const ast::Type& type, const uint8_t* data,
             const std::vector<std::string>& probe_names) override;
  void map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
           const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
           bool zeroed) override;
  void time(const std::string& text) override;
  void join(const std::string& joined) override;
  void cat(const std::string& contents) override;
  void system(const std::string& command_output) override;
  void helper_error(const codegen::HelperErrorDesc& desc, int64_t retcode,
                    const Diagnostics* sources) override;
  void lost_events(uint64_t count) override;
};

} // namespace tracelet::runtime
