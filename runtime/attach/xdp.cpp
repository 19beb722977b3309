// xdp:IFACE[:native|generic]: an XDP link (bpf_link_create with BPF_XDP), so the kernel detaches
// the program when tracelet exits, however it exits. The driver decides the mode of a plain
// xdp:IFACE (native where it has XDP support, generic otherwise); :native and :generic are
// checked against the mode the link got. A program that someone else attached is never
// replaced: the link would fail anyway (EBUSY), and the error names it.
#include "runtime/attach/attach.h"
#include "runtime/kernel/interfaces.h"

#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include <cerrno>

namespace tracelet::runtime {

namespace {

const char* mode_name(uint8_t attach_mode) {
  switch (attach_mode) {
  case XDP_ATTACHED_DRV:
    return "native";
  case XDP_ATTACHED_SKB:
    return "generic";
  case XDP_ATTACHED_HW:
    return "offloaded";
  case XDP_ATTACHED_MULTI:
    return "several modes";
  default:
    return "none";
  }
}

} // namespace

std::string packet_interface_unavailable(const codegen::ProgramDesc& desc) {
  if (interface_index(desc.target) == 0)
    return "no network interface '" + desc.target + "' here (interfaces: " + interface_list() + ")";
  return "";
}

Link attach_xdp(bpf_program* prog, const codegen::ProgramDesc& desc) {
  unsigned ifindex = interface_index(desc.target);
  if (ifindex == 0) throw AttachError(desc, packet_interface_unavailable(desc));
  LIBBPF_OPTS(bpf_xdp_query_opts, before);
  if (bpf_xdp_query(static_cast<int>(ifindex), 0, &before) == 0 &&
      before.attach_mode != XDP_ATTACHED_NONE)
    throw AttachError(desc, "interface " + desc.target + " already has an XDP program (id " +
                                std::to_string(before.prog_id) + ", " +
                                mode_name(before.attach_mode) +
                                " mode) attached by someone else; tracelet does not replace it");
  bpf_link* link = bpf_program__attach_xdp(prog, static_cast<int>(ifindex));
  if (!link) {
    int err = errno;
    if (err == EBUSY || err == EEXIST)
      throw AttachError(desc, "interface " + desc.target +
                                  " already has an XDP program attached by someone else; "
                                  "tracelet does not replace it");
    throw AttachError(desc,
                      "the kernel refuses an XDP link on " + desc.target + ": " + errno_text(-err));
  }
  Link owned(link);
  if (desc.func.empty()) return owned;
  LIBBPF_OPTS(bpf_xdp_query_opts, now);
  if (bpf_xdp_query(static_cast<int>(ifindex), 0, &now) != 0)
    throw AttachError(desc,
                      "cannot ask which XDP mode " + desc.target + " uses: " + errno_text(-errno));
  if (desc.func == "native" && now.attach_mode != XDP_ATTACHED_DRV)
    throw AttachError(desc, "the driver of " + desc.target +
                                " has no native XDP (it runs generic); use xdp:" + desc.target +
                                " or xdp:" + desc.target + ":generic");
  if (desc.func == "generic" && now.attach_mode != XDP_ATTACHED_SKB)
    throw AttachError(desc, "the driver of " + desc.target +
                                " runs XDP natively, and an XDP link (libbpf 1.1) cannot ask "
                                "for generic mode; use xdp:" +
                                desc.target + " (native)");
  return owned;
}

} // namespace tracelet::runtime
