// Which attach path serves which probe kind.
#include "runtime/attach.h"

#include "ast/diagnostics.h"

#include <sys/stat.h>

namespace tracelet::runtime {

namespace {

bool kernel_has_kprobes() {
  struct stat st;
  return ::stat("/sys/bus/event_source/devices/kprobe", &st) == 0;
}

std::string unsupported_reason(const codegen::ProgramDesc& desc) {
  const std::string& p = desc.provider;
  if (p == "kprobe" || p == "kretprobe") {
    std::string why = kernel_has_kprobes() ? "tracelet cannot attach kprobes yet"
                                           : "this kernel has no kprobes (CONFIG_KPROBES is off)";
    return why + "; use a tracepoint instead (e.g. tracepoint:syscalls:sys_enter_*)";
  }
  return "tracelet cannot attach " + (p.empty() ? std::string("this kind of") : p) + " probes yet";
}

} // namespace

void check_attachable(const codegen::CompiledProgram& program) {
  for (const auto& desc : program.programs) {
    const std::string& p = desc.provider;
    if (is_begin_end(p) || p == "interval" || p == "tracepoint") continue;
    throw Error("cannot attach " + desc.probe_name + ": " + unsupported_reason(desc));
  }
  for (const auto& desc : program.programs)
    if (desc.provider == "interval")
      interval_period_ns(desc.target, desc.freq, desc.probe_name); // throws on a bad unit
}

Link attach_program(bpf_program* prog, const codegen::ProgramDesc& desc) {
  if (desc.provider == "interval") return attach_interval(prog, desc);
  if (desc.provider == "tracepoint") return attach_tracepoint(prog, desc);
  throw Error("cannot attach " + desc.probe_name + ": " + unsupported_reason(desc));
}

} // namespace tracelet::runtime
