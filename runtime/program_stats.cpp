#include "runtime/program_stats.h"

#include "runtime/kernel/feature_report.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>
#include <linux/bpf.h>

namespace tracelet::runtime {

void print_program_stats(const BpfObject& obj, const codegen::CompiledProgram& program,
                         std::FILE* out) {
  unsigned limit = verifier_instruction_limit();
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
