#include "runtime/attach/attach.h"

#include <cerrno>

namespace tracelet::runtime {

Link attach_raw_tracepoint(bpf_program* prog, const codegen::ProgramDesc& desc) {
  bpf_link* link = bpf_program__attach_raw_tracepoint(prog, desc.func.c_str());
  if (!link) {
    int err = errno;
    throw AttachError(desc, err == ENOENT ? "no raw tracepoint named '" + desc.func + "'"
                                          : errno_text(err));
  }
  return Link(link);
}

} // namespace tracelet::runtime
