#include "ast/diagnostics.h"
#include "runtime/attach/attach.h"

#include <cerrno>

namespace tracelet::runtime {

Link attach_tracepoint(bpf_program* prog, const codegen::ProgramDesc& desc) {
  bpf_link* link = bpf_program__attach_tracepoint(prog, desc.target.c_str(), desc.func.c_str());
  if (!link) throw Error("cannot attach " + desc.probe_name + ": " + errno_text(errno));
  return Link(link);
}

} // namespace tracelet::runtime
