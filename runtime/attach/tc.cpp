// tc:IFACE:ingress|egress: a tcx link (Linux 6.6+), so the kernel detaches the program when
// tracelet exits, however it exits, and other tc programs on the interface keep running
// (tracelet's pass verdict is TC_ACT_UNSPEC, "next").
//
// The classic clsact qdisc with libbpf's bpf_tc API is a netlink attachment that outlives the
// process (a killed tracelet would leave its filter dropping packets), so it is not used: on a
// kernel without tcx the attach fails with a one-line reason.
//
// libbpf 1.1 has no bpf_program__attach_tcx(); its generic fd attach creates a link of the
// program's expected attach type, so the program is loaded as BPF_TCX_INGRESS/EGRESS
// (prepare_packet_program, before loading) and linked to the interface's index.
#include "runtime/attach/attach.h"
#include "runtime/kernel/interfaces.h"

#include <bpf/libbpf.h>

#include <cerrno>

namespace tracelet::runtime {

namespace {

// enum bpf_attach_type of Linux 6.6 (newer than the uapi headers here).
constexpr int kBpfTcxIngress = 46;
constexpr int kBpfTcxEgress = 47;

} // namespace

void prepare_packet_program(bpf_program* prog, const codegen::ProgramDesc& desc) {
  if (desc.provider != "tc") return;
  bpf_program__set_expected_attach_type(
      prog, static_cast<bpf_attach_type>(desc.func == "egress" ? kBpfTcxEgress : kBpfTcxIngress));
}

Link attach_tc(bpf_program* prog, const codegen::ProgramDesc& desc) {
  unsigned ifindex = interface_index(desc.target);
  if (ifindex == 0) throw AttachError(desc, packet_interface_unavailable(desc));
  // Creates a link of the expected attach type (tcx) on `ifindex`; the name is libbpf's.
  bpf_link* link = bpf_program__attach_xdp(prog, static_cast<int>(ifindex));
  if (!link) {
    int err = errno;
    if (err == EINVAL)
      throw AttachError(desc, "this kernel has no tcx links (Linux 6.6+), and tracelet attaches "
                              "tc programs only as links (a clsact filter would outlive it)");
    throw AttachError(desc,
                      "the kernel refuses a tcx link on " + desc.target + ": " + errno_text(-err));
  }
  return Link(link);
}

} // namespace tracelet::runtime
