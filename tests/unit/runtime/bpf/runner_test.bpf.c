// A hand-written stand-in for codegen's output, following codegen/compiled_program.h: events
// start with {u32 kind; u32 id}, maps are named AT_<name>, BEGIN/END are raw_tp programs.
// Compiled by runner_test.cpp with `clang -O2 -g -target bpf`.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} start_time SEC(".maps");

// @ticks = count()
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} AT_ticks SEC(".maps");

// @x = 7 (keyless value: key u64 0)
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u64);
  __type(value, __s64);
} AT_x SEC(".maps");

// @calls[probe] = count()
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, __u64);
  __type(value, __u64);
} AT_calls SEC(".maps");

enum { kPrintf = 1, kExit = 2, kPrintMap = 3, kClearMap = 4 };

struct header {
  __u32 kind;
  __u32 id;
};

static __always_inline void send_header(void* ctx, __u32 kind, __u32 id) {
  struct header h = {kind, id};
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &h, sizeof h);
}

// printfs[0]: "hello %d %s elapsed-ok=%d\n" with (int64, string[8], uint64)
SEC("raw_tp")
int begin(void* ctx) {
  struct {
    struct header h;
    __s64 number;
    char word[8];
    __u64 started;
  } ev;
  // Field by field: an aggregate initializer would land in a .rodata.cst section.
  ev.h.kind = kPrintf;
  ev.h.id = 0;
  ev.number = 42;
  __u64 word = 0x646c726f77; // "world", little-endian
  __builtin_memcpy(ev.word, &word, sizeof word);
  __u32 zero = 0;
  __u64* start = bpf_map_lookup_elem(&start_time, &zero);
  ev.started = start && *start > 0 && *start <= bpf_ktime_get_ns();
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof ev);
  __u64 key = 0;
  __s64 seven = 7;
  bpf_map_update_elem(&AT_x, &key, &seven, BPF_ANY);
  return 0;
}

// interval: counts ticks; exit() on the third; print(@x) (map_actions[0]) on the second.
SEC("perf_event")
int tick(void* ctx) {
  __u32 zero = 0;
  __u64* ticks = bpf_map_lookup_elem(&AT_ticks, &zero);
  if (!ticks)
    return 0;
  *ticks += 1;
  if (*ticks == 2)
    send_header(ctx, kPrintMap, 0);
  if (*ticks >= 3)
    send_header(ctx, kExit, 0);
  return 0;
}

// tracepoint:syscalls:sys_enter_getppid: @calls[probe] = count(); printf("getppid\n"); exit()
SEC("tracepoint/syscalls/sys_enter_getppid")
int getppid_probe(void* ctx) {
  __u64 probe = 2;
  __u64 one = 1;
  __u64* count = bpf_map_lookup_elem(&AT_calls, &probe);
  if (count)
    *count += 1;
  else
    bpf_map_update_elem(&AT_calls, &probe, &one, BPF_ANY);
  send_header(ctx, kPrintf, 1);
  send_header(ctx, kExit, 0);
  return 0;
}

// END: printf("end\n")
SEC("raw_tp")
int end(void* ctx) {
  send_header(ctx, kPrintf, 2);
  return 0;
}

// Rejected by the verifier: reads through a hash lookup's result without a NULL check.
SEC("raw_tp")
int bad(void* ctx) {
  __u64 key = 0;
  __s64* v = bpf_map_lookup_elem(&AT_x, &key);
  return *v;
}

char LICENSE[] SEC("license") = "GPL";
