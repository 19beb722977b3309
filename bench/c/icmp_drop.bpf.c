// Hand-written baseline for scripts/icmp_drop.bt: the same work in C, as one would write it.
// Drop ICMP/ICMPv6 echo requests (one 802.1Q tag allowed, IPv4 options via ihl), send one
// event per drop (time, source, destination, type, length; the layout of the script's
// printf) and count drops by source in a hash; everything else passes.
//   clang-14 -O2 -g -target bpf -c icmp_drop.bpf.c -o icmp_drop.bpf.o
#include <linux/bpf.h> // first: bpf_helpers.h needs its types

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

struct inet {
  __s64 family;
  __u8 addr[16];
};

// The event of the script's IPv4 printf, laid out as tracelet's (kind 1 = printf, id 2 = the
// third printf of the script), so that both programs can send into tracelet's event map and
// pay the same delivery (bench/packet_cost.sh loads this with that map).
struct event {
  __u32 kind, id;
  __u64 fmt, nsecs; // strftime("%H:%M:%S", nsecs)
  struct inet src, dst;
  __u8 type;
  __u32 len;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct inet);
  __type(value, __u64);
} drops SEC(".maps");

SEC("xdp")
int c_icmp_drop(struct xdp_md* ctx) {
  void* data = (void*)(long)ctx->data;
  void* end = (void*)(long)ctx->data_end;
  struct ethhdr* eth = data;
  if ((void*)(eth + 1) > end) return XDP_PASS;
  __u16 proto = eth->h_proto;
  void* l3 = eth + 1;
  if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
    if (l3 + 4 > end) return XDP_PASS;
    proto = *(__u16*)(l3 + 2);
    l3 += 4;
  }
  struct event ev = {.kind = 1, .id = 2, .fmt = 0};
  __u8 type;
  if (proto == bpf_htons(ETH_P_IP)) {
    struct iphdr* ip = l3;
    if ((void*)(ip + 1) > end || ip->ihl < 5) return XDP_PASS;
    __u8* icmp = (__u8*)ip + ip->ihl * 4;
    if (ip->protocol != IPPROTO_ICMP || (void*)(icmp + 8) > end || icmp[0] != 8) return XDP_PASS;
    type = icmp[0];
    ev.src.family = ev.dst.family = 2;
    __builtin_memcpy(ev.src.addr, &ip->saddr, 4);
    __builtin_memcpy(ev.dst.addr, &ip->daddr, 4);
  } else if (proto == bpf_htons(ETH_P_IPV6)) {
    struct ipv6hdr* ip6 = l3;
    __u8* icmp6 = (__u8*)(ip6 + 1);
    if ((void*)(icmp6 + 8) > end || ip6->nexthdr != IPPROTO_ICMPV6 || icmp6[0] != 128) return XDP_PASS;
    type = icmp6[0];
    ev.src.family = ev.dst.family = 10;
    __builtin_memcpy(ev.src.addr, &ip6->saddr, 16);
    __builtin_memcpy(ev.dst.addr, &ip6->daddr, 16);
  } else {
    return XDP_PASS;
  }
  ev.nsecs = bpf_ktime_get_ns();
  ev.type = type;
  ev.len = end - data;
  bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof ev);
  __u64* n = bpf_map_lookup_elem(&drops, &ev.src);
  if (n) {
    *n += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&drops, &ev.src, &one, BPF_ANY);
  }
  return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
