// Hand-written baseline for `tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }`:
// per-CPU hash keyed by comm; add in place when present, insert 1 otherwise.
#include <linux/bpf.h> // first: bpf_helpers.h needs its types

#include <bpf/bpf_helpers.h>

struct comm_key {
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct comm_key);
  __type(value, __u64);
} by_comm SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int c_comm_getppid(void* ctx) {
  struct comm_key key = {};
  bpf_get_current_comm(key.comm, sizeof key.comm);
  __u64* v = bpf_map_lookup_elem(&by_comm, &key);
  if (v) {
    *v += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&by_comm, &key, &one, BPF_ANY);
  }
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
