#include "cli/privileges.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tracelet::cli {

namespace {

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

bool effective(const __user_cap_data_struct (&data)[2], int cap) {
  return (data[cap / 32].effective >> (cap % 32)) & 1u;
}

} // namespace

bool has_bpf_privileges() {
  // The capabilities, not the uid: root without CAP_SYS_ADMIN (a container) may hold CAP_BPF
  // and CAP_PERFMON, and a non-root user may hold them as file capabilities.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return geteuid() == 0;
  return effective(data, CAP_SYS_ADMIN) ||
         (effective(data, CAP_BPF) && effective(data, CAP_PERFMON));
}

void require_bpf_privileges() {
  if (has_bpf_privileges()) return;
  std::fputs("tracelet needs root, or CAP_BPF and CAP_PERFMON\n", stderr);
  std::exit(1);
}

} // namespace tracelet::cli
