// Which attach path serves which probe kind, and whether this kernel can attach it.
#include "runtime/attach/attach.h"

#include "runtime/kernel/kernel_features.h"

namespace tracelet::runtime {

namespace {

std::string location_prefix(const Location& loc) {
  if (!loc.file) return "";
  return loc.filename() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col) +
         ": error: ";
}

// "" if `desc` can be attached here, else why not.
std::string unavailable(const codegen::ProgramDesc& desc) {
  const std::string& p = desc.provider;
  if (is_begin_end(p) || p == "interval" || p == "tracepoint" || p == "rawtracepoint") return "";
  if (p == "uprobe" || p == "uretprobe") {
    uprobe_file_offset(desc); // throws AttachError if the symbol cannot be placed
    return "";
  }
  if (p == "usdt") {
    usdt_placement(desc); // throws AttachError if the probe cannot be placed
    return "";
  }
  if (p == "kprobe" || p == "kretprobe") return kprobe_unavailable(desc);
  if (p == "fentry" || p == "fexit") return fentry_unavailable(desc);
  if (p == "profile" || p == "software" || p == "hardware") return perf_unavailable(desc);
  if (p == "xdp" || p == "tc") return packet_interface_unavailable(desc);
  if (p == "watchpoint" || p == "asyncwatchpoint") return ""; // runtime/attach/watchpoint.cpp
  if (p == "watchpoint_setup" || p == "asyncwatchpoint_setup") {
    uprobe_file_offset(desc); // throws AttachError if the function cannot be placed
    return "";
  }
  return "tracelet cannot attach " + (p.empty() ? std::string("this kind of") : p) + " probes yet";
}

} // namespace

AttachError::AttachError(const codegen::ProgramDesc& desc, const std::string& why)
    : Error(location_prefix(desc.loc) + desc.probe_name + " cannot attach: " + why) {}

void check_attachable(const codegen::CompiledProgram& program) {
  for (const auto& desc : program.programs)
    if (std::string why = unavailable(desc); !why.empty()) throw AttachError(desc, why);
  for (const auto& desc : program.programs)
    if (desc.provider == "interval")
      interval_period_ns(desc.target, desc.freq, desc.probe_name); // throws on a bad unit
}

bool kernel_refuses_load(const codegen::ProgramDesc& desc) {
  return (desc.provider == "fentry" || desc.provider == "fexit") && !kernel_loads_fentry();
}

std::vector<Link> attach_links(bpf_program* prog, const codegen::ProgramDesc& desc, int pid) {
  const std::string& p = desc.provider;
  std::vector<Link> links;
  if (p == "profile" || p == "software" || p == "hardware") return attach_perf_event(prog, desc);
  if (p == "uprobe" || p == "uretprobe")
    links.push_back(attach_uprobe(prog, desc, pid));
  else if (p == "usdt")
    links.push_back(attach_usdt(prog, desc, pid));
  else
    links.push_back(attach_program(prog, desc));
  return links;
}

Link attach_program(bpf_program* prog, const codegen::ProgramDesc& desc) {
  const std::string& p = desc.provider;
  if (p == "interval") return attach_interval(prog, desc);
  if (p == "tracepoint") return attach_tracepoint(prog, desc);
  if (p == "rawtracepoint") return attach_raw_tracepoint(prog, desc);
  if (p == "uprobe" || p == "uretprobe") return attach_uprobe(prog, desc, -1);
  if (p == "usdt") return attach_usdt(prog, desc, -1);
  if (p == "kprobe" || p == "kretprobe") return attach_kprobe(prog, desc);
  if (p == "fentry" || p == "fexit") return attach_fentry(prog, desc);
  if (p == "xdp") return attach_xdp(prog, desc);
  if (p == "tc") return attach_tc(prog, desc);
  std::string why = unavailable(desc);
  throw AttachError(desc, why.empty() ? "it needs several links (one per CPU)" : why);
}

} // namespace tracelet::runtime
