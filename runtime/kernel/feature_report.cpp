#include "runtime/kernel/feature_report.h"

#include "runtime/bpf_object.h"
#include "runtime/kernel/kernel_features.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <sys/stat.h>

#include <cerrno>

namespace tracelet::runtime {

namespace {

const char* yes_no(bool b) {
  return b ? "yes" : "no";
}

bool exists(const char* path) {
  struct stat st;
  return ::stat(path, &st) == 0;
}

bool helper(bpf_prog_type type, bpf_func_id id) {
  return libbpf_probe_bpf_helper(type, id, nullptr) == 1;
}

// BPF_MAP_LOOKUP_BATCH on an empty hash map answers ENOENT where batches exist.
bool map_batch() {
  UniqueFd map(bpf_map_create(BPF_MAP_TYPE_HASH, "tl_batch", 8, 8, 4, nullptr));
  if (map.get() < 0) return false;
  uint64_t keys[4], values[4], out_batch = 0;
  uint32_t count = 4;
  int err = bpf_map_lookup_batch(map.get(), nullptr, &out_batch, keys, values, &count, nullptr);
  return err == 0 || errno == ENOENT;
}

} // namespace

// A program whose loop runs four times: the verifier accepts back edges since 5.3.
bool kernel_loads_loops() {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0}, // r0 = 0
      {BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_0, 0, 0, 1}, // r0 += 1
      {BPF_JMP | BPF_JLT | BPF_K, BPF_REG_0, 0, -2, 4},  // if r0 < 4 goto -2
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0}, // r0 = 0
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  UniqueFd fd(
      bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "tl_loop_probe", "GPL", insns, 5, nullptr));
  return fd.get() >= 0;
}

unsigned verifier_instruction_limit() {
  return kernel_loads_loops() ? 1000000 : 4096;
}

std::vector<FeatureSection> probe_kernel_features() {
  std::vector<FeatureSection> out;
  const auto kp = BPF_PROG_TYPE_KPROBE;
  out.push_back({"Kernel helpers",
                 {{"probe_read", yes_no(helper(kp, BPF_FUNC_probe_read))},
                  {"probe_read_str", yes_no(helper(kp, BPF_FUNC_probe_read_str))},
                  {"probe_read_user", yes_no(helper(kp, BPF_FUNC_probe_read_user))},
                  {"probe_read_user_str", yes_no(helper(kp, BPF_FUNC_probe_read_user_str))},
                  {"probe_read_kernel", yes_no(helper(kp, BPF_FUNC_probe_read_kernel))},
                  {"probe_read_kernel_str", yes_no(helper(kp, BPF_FUNC_probe_read_kernel_str))},
                  {"get_current_cgroup_id", yes_no(helper(kp, BPF_FUNC_get_current_cgroup_id))},
                  {"send_signal", yes_no(helper(kp, BPF_FUNC_send_signal))},
                  {"override_return", yes_no(helper(kp, BPF_FUNC_override_return))},
                  {"get_boot_ns", yes_no(helper(kp, BPF_FUNC_ktime_get_boot_ns))},
                  {"get_func_ip", yes_no(helper(kp, BPF_FUNC_get_func_ip))},
                  {"get_stack", yes_no(helper(kp, BPF_FUNC_get_stack))},
                  // path() and skboutput() are not implemented (both need fentry programs).
                  {"dpath", "no"},
                  {"skboutput", "no"}}});
  bool loops = kernel_loads_loops();
  out.push_back({"Kernel features",
                 {{"Instruction limit", loops ? "1000000" : "4096"},
                  {"Loop support", yes_no(loops)},
                  {"btf", yes_no(exists("/sys/kernel/btf/vmlinux"))},
                  {"map batch", yes_no(map_batch())},
                  // Named as bpftrace 0.17 names it: its runtime tests look for this line.
                  {"uprobe refcount (depends on Build:bcc bpf_attach_uprobe refcount)",
                   yes_no(exists("/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset"))}}});
  auto map = [](bpf_map_type t) { return yes_no(libbpf_probe_bpf_map_type(t, nullptr) == 1); };
  out.push_back({"Map types",
                 {{"hash", map(BPF_MAP_TYPE_HASH)},
                  {"percpu hash", map(BPF_MAP_TYPE_PERCPU_HASH)},
                  {"array", map(BPF_MAP_TYPE_ARRAY)},
                  {"percpu array", map(BPF_MAP_TYPE_PERCPU_ARRAY)},
                  {"stack_trace", map(BPF_MAP_TYPE_STACK_TRACE)},
                  {"perf_event_array", map(BPF_MAP_TYPE_PERF_EVENT_ARRAY)},
                  {"ringbuf", map(BPF_MAP_TYPE_RINGBUF)}}});
  auto prog = [](bpf_prog_type t) { return yes_no(libbpf_probe_bpf_prog_type(t, nullptr) == 1); };
  out.push_back({"Probe types",
                 {{"kprobe", prog(BPF_PROG_TYPE_KPROBE)},
                  {"tracepoint", prog(BPF_PROG_TYPE_TRACEPOINT)},
                  {"perf_event", prog(BPF_PROG_TYPE_PERF_EVENT)},
                  {"kfunc", yes_no(kernel_loads_fentry())},
                  {"raw_tp_special", prog(BPF_PROG_TYPE_RAW_TRACEPOINT)},
                  // iter: probes and kprobe_multi attachment are not implemented.
                  {"iter:task", "no"},
                  {"iter:task_file", "no"},
                  {"kprobe_multi", "no"},
                  {"xdp", prog(BPF_PROG_TYPE_XDP)},
                  {"sched_cls", prog(BPF_PROG_TYPE_SCHED_CLS)}}});
  out.push_back({"Attach",
                 {{"kprobe (kprobe PMU or kprobe_events)", yes_no(kernel_has_kprobes())},
                  {"uprobe", yes_no(exists("/sys/bus/event_source/devices/uprobe"))},
                  {"fentry/fexit (program loads)", yes_no(kernel_loads_fentry())},
                  {"hardware events (PMU)", yes_no(kernel_has_hardware_pmu())}}});
  return out;
}

} // namespace tracelet::runtime
