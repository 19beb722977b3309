#include "runtime/kernel/kernel_features.h"

#include "runtime/bpf_object.h"
#include "runtime/kernel/tracefs.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

namespace tracelet::runtime {

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool try_load_fentry() {
  btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) return false;
  // Any traceable function will do; these exist on every kernel with BTF.
  int id = -1;
  for (const char* fn : {"do_nanosleep", "vfs_read", "schedule"}) {
    id = btf__find_by_name_kind(vmlinux, fn, BTF_KIND_FUNC);
    if (id > 0) break;
  }
  btf__free(vmlinux);
  if (id <= 0) return false;
  // r0 = 0; exit
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
              .attach_btf_id = static_cast<__u32>(id));
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "tl_fentry_probe", "GPL", insns, 2, &opts);
  UniqueFd owned(fd);
  return fd >= 0;
}

} // namespace

bool kernel_has_kprobes() {
  static const bool has = exists("/sys/bus/event_source/devices/kprobe") ||
                          exists("/sys/kernel/tracing/kprobe_events") ||
                          exists("/sys/kernel/debug/tracing/kprobe_events");
  return has;
}

bool kernel_loads_fentry() {
  static const bool loads = try_load_fentry();
  return loads;
}

bool kernel_has_hardware_pmu() {
  static const bool has = [] {
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = PERF_COUNT_HW_CPU_CYCLES;
    attr.disabled = 1;
    int fd =
        static_cast<int>(::syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    UniqueFd owned(fd);
    return fd >= 0;
  }();
  return has;
}

std::string suggest_tracepoint(const std::string& func) {
  // Names to look for, most specific first: the function without the prefixes that wrap a
  // syscall's implementation, then without a trailing version digit (openat2 -> openat).
  std::vector<std::string> words;
  auto add = [&](const std::string& w) {
    if (!w.empty() && std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
  };
  std::string base = func;
  for (const char* prefix : {"__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_", "do_sys_",
                             "ksys_", "__sys_", "sys_", "vfs_", "do_", "__"})
    if (base.rfind(prefix, 0) == 0) {
      base = base.substr(std::strlen(prefix));
      break;
    }
  std::string trimmed = base;
  while (!trimmed.empty() && trimmed.back() >= '0' && trimmed.back() <= '9')
    trimmed.pop_back();
  add(trimmed);
  add(base);
  add(func);
  try {
    KernelInfoImpl tracefs;
    for (const auto& w : words)
      if (!tracefs.match_tracepoints("syscalls", "sys_enter_" + w).empty())
        return "tracepoint:syscalls:sys_enter_" + w;
    for (const auto& w : {func, base})
      for (const auto& [category, name] : tracefs.match_tracepoints("*", "*" + w + "*"))
        return "tracepoint:" + category + ":" + name;
  } catch (const std::exception&) {
    // No tracefs: nothing to suggest.
  }
  return "";
}

} // namespace tracelet::runtime
