// Hand-written baseline for `tracepoint:syscalls:sys_enter_getppid { @c = count(); }`: one
// per-CPU array slot incremented in place (what a C programmer would write).
#include <linux/bpf.h> // first: bpf_helpers.h needs its types

#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} c SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int c_count_getppid(void* ctx) {
  __u32 key = 0;
  __u64* v = bpf_map_lookup_elem(&c, &key);
  if (v) *v += 1;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
