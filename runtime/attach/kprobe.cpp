// kprobe/kretprobe and fentry/fexit: attached where the kernel can; where it cannot, one line
// that says why and what to use instead, before anything is attached.
#include "runtime/attach/attach.h"
#include "runtime/attach/tool_alternatives.h"
#include "runtime/kernel/kernel_features.h"

#include <cerrno>

namespace tracelet::runtime {

namespace {

std::string try_instead(const codegen::ProgramDesc& desc) {
  if (std::string tool = suggest_tool(desc.func); !tool.empty()) return "; try " + tool;
  std::string tp = suggest_tracepoint(desc.func);
  return tp.empty() ? "" : "; try " + tp;
}

} // namespace

std::string kprobe_unavailable(const codegen::ProgramDesc& desc) {
  if (kernel_has_kprobes()) return "";
  if (kernel_loads_fentry())
    return "this kernel has no kprobes (CONFIG_KPROBES off); use fentry:" + desc.func +
           try_instead(desc);
  return "this kernel has no kprobes (CONFIG_KPROBES off) and refuses fentry" + try_instead(desc);
}

std::string fentry_unavailable(const codegen::ProgramDesc& desc) {
  if (kernel_loads_fentry()) return "";
  return "this kernel refuses fentry/fexit programs (load fails with EPERM)" +
         (kernel_has_kprobes() ? "; try kprobe:" + desc.func : try_instead(desc));
}

Link attach_kprobe(bpf_program* prog, const codegen::ProgramDesc& desc) {
  if (std::string why = kprobe_unavailable(desc); !why.empty()) throw AttachError(desc, why);
  LIBBPF_OPTS(bpf_kprobe_opts, opts, .offset = desc.offset,
              .retprobe = desc.provider == "kretprobe");
  bpf_link* link = bpf_program__attach_kprobe_opts(prog, desc.func.c_str(), &opts);
  if (!link) throw AttachError(desc, errno_text(errno));
  return Link(link);
}

Link attach_fentry(bpf_program* prog, const codegen::ProgramDesc& desc) {
  if (std::string why = fentry_unavailable(desc); !why.empty()) throw AttachError(desc, why);
  bpf_link* link = bpf_program__attach_trace(prog);
  if (!link) throw AttachError(desc, errno_text(errno));
  return Link(link);
}

} // namespace tracelet::runtime
