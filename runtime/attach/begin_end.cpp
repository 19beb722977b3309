#include "ast/diagnostics.h"
#include "runtime/attach/attach.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstdint>

namespace tracelet::runtime {

bool is_begin_end(const std::string& provider) {
  return provider == "BEGIN" || provider == "END";
}

void run_once(bpf_program* prog, const codegen::ProgramDesc& desc) {
  // A raw tracepoint's context is its arguments (at most 12 u64); BEGIN/END read none.
  uint64_t args[12] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof args);
  int fd = bpf_program__fd(prog);
  if (fd < 0) throw Error("cannot run " + desc.probe_name + ": its program is not loaded");
  if (bpf_prog_test_run_opts(fd, &opts) != 0)
    throw Error("cannot run " + desc.probe_name + ": " + errno_text(errno));
}

} // namespace tracelet::runtime
