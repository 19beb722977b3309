#include "runtime/program_stats.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>
#include <linux/bpf.h>
#include <sys/utsname.h>

namespace tracelet::runtime {

namespace {

// The verifier's budget: a million processed instructions since 5.2 (bounded loops), 4096
// before.
unsigned instruction_limit() {
  utsname u{};
  if (uname(&u) != 0) return 1000000;
  unsigned major = 0, minor = 0;
  if (std::sscanf(u.release, "%u.%u", &major, &minor) != 2) return 1000000;
  return major > 5 || (major == 5 && minor >= 2) ? 1000000 : 4096;
}

} // namespace

void print_program_stats(const BpfObject& obj, const codegen::CompiledProgram& program,
                         std::FILE* out) {
  unsigned limit = instruction_limit();
  for (const auto& desc : program.programs) {
    int fd = bpf_program__fd(obj.program(desc.func_name));
    bpf_prog_info info;
    std::memset(&info, 0, sizeof(info));
    uint32_t len = sizeof(info);
    if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) != 0) continue;
    std::fprintf(out, "tracelet: loaded %s (program id %u): %u instructions",
                 desc.probe_name.c_str(), info.id, info.xlated_prog_len / 8);
    // verified_insns is 0 on kernels before 5.16, which do not report it.
    if (info.verified_insns)
      std::fprintf(out, ", the verifier processed %u (limit %u)", info.verified_insns, limit);
    std::fputc('\n', out);
  }
}

} // namespace tracelet::runtime
