#!/usr/bin/env bash
# Cost per packet of scripts/icmp_drop.bt against the same program hand-written in C
# (bench/c/icmp_drop.bpf.c, clang-14 -O2), measured by the kernel with BPF_PROG_TEST_RUN
# (bpftool prog run, repeat R >= 1,000,000) on two built packets:
#   icmp: an ICMP echo request (98 bytes): parsed, dropped, one event sent, counted by source;
#   tcp:  a TCP SYN (54 bytes): parsed and passed, the cost every other packet pays.
# tracelet runs the script as a user would, on `lo` of a private network namespace; its
# program is found by name and run in place. The C program is loaded with bpftool (pinned in
# bpffs for the run, removed after) and sends its events into tracelet's event map. Rounds alternate the two; medians are printed with the
# ratio and the difference. Goal (design.md): tracelet <= C * 1.1 + 2 ns.
#   bench/packet_cost.sh [REPEAT] [ROUNDS] [BUILD_DIR]   (defaults: 1000000, 5, build)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-1000000}
rounds=${2:-5}
build=${3:-build}
tracelet=$build/tracelet
[[ -x $tracelet ]] || { echo "$tracelet missing: build tracelet first" >&2; exit 1; }
for tool in bpftool jq clang-14; do
  command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
((repeat >= 1000000)) || echo "warning: repeat $repeat < 1,000,000" >&2

tmp=$(mktemp -d)
ns=packet_bench_$$
pin=/sys/fs/bpf/tl_packet_bench_$$
tl_pid=
cleanup() {
  [[ -n $tl_pid ]] && kill -INT "$tl_pid" 2>/dev/null && wait "$tl_pid" 2>/dev/null || true
  rm -f "$pin"
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Packets: Ethernet + IPv4 (10.77.0.2 -> 10.77.0.1) + ICMP echo request with 56 bytes of
# data, and Ethernet + IPv4 + TCP SYN (port 40000 -> 80).
mac='02 00 00 00 00 02 02 00 00 00 00 01 08 00'
printf '%s 45 00 00 54 12 34 40 00 40 01 00 00 0a 4d 00 02 0a 4d 00 01 08 00 00 00 00 01 00 01 %s' \
  "$mac" "$(printf '%.0s2a ' {1..56})" | xxd -r -p >"$tmp/icmp.bin"
printf '%s 45 00 00 28 12 35 40 00 40 06 00 00 0a 4d 00 02 0a 4d 00 01 9c 40 00 50 00 00 00 01 00 00 00 00 50 02 ff ff 00 00 00 00' \
  "$mac" | xxd -r -p >"$tmp/tcp.bin"


ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" "$tracelet" -q scripts/icmp_drop.bt lo >"$tmp/tracelet.out" 2>&1 &
tl_pid=$!
tl_id=
for _ in $(seq 50); do
  tl_id=$(bpftool -j prog show | jq -r '.[] | select(.name == "p1_xdp_lo") | .id' | tail -1)
  [[ -n $tl_id ]] && break
  sleep 0.1
done
[[ -n $tl_id ]] || { echo "tracelet's program did not appear:" >&2; cat "$tmp/tracelet.out" >&2; exit 1; }

# The C program sends its events into tracelet's event map, which tracelet reads: both pay
# the same delivery (an empty perf event array would make the C program's output free).
event_map=
for id in $(bpftool -j prog show id "$tl_id" | jq -r '.map_ids[]'); do
  [[ $(bpftool -j map show id "$id" | jq -r .type) == perf_event_array ]] && event_map=$id
done
[[ -n $event_map ]] || { echo "tracelet's event map not found" >&2; exit 1; }
clang-14 -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c bench/c/icmp_drop.bpf.c \
  -o "$tmp/icmp_drop.bpf.o"
bpftool prog load "$tmp/icmp_drop.bpf.o" "$pin" type xdp map name events id "$event_map"
c_id=$(bpftool -j prog show pinned "$pin" | jq .id)

# ns per run of program id $1 on packet file $2, and its return value.
run() {
  local out
  out=$(bpftool prog run id "$1" data_in "$2" repeat "$repeat")
  sed -n 's/.*duration (average): \([0-9]*\)ns.*/\1/p' <<<"$out"
}
retval() { bpftool prog run id "$1" data_in "$2" repeat 1 | sed -n 's/.*Return value: \([0-9]*\).*/\1/p'; }
for p in icmp tcp; do
  c=$(retval "$c_id" "$tmp/$p.bin")
  t=$(retval "$tl_id" "$tmp/$p.bin")
  [[ $c == "$t" ]] || { echo "verdicts differ on $p: C $c, tracelet $t" >&2; exit 1; }
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "per-packet cost, BPF_PROG_TEST_RUN x $repeat, median of $rounds rounds (ns)"
printf '%-6s %8s %10s %8s %8s %s\n' packet C tracelet ratio diff verdict
for p in icmp tcp; do
  : >"$tmp/c.$p"
  : >"$tmp/t.$p"
  for _ in $(seq "$rounds"); do
    run "$c_id" "$tmp/$p.bin" >>"$tmp/c.$p"
    run "$tl_id" "$tmp/$p.bin" >>"$tmp/t.$p"
  done
  c=$(median <"$tmp/c.$p")
  t=$(median <"$tmp/t.$p")
  v=$(retval "$c_id" "$tmp/$p.bin")
  awk -v p="$p" -v c="$c" -v t="$t" -v v="$v" 'BEGIN {
    printf "%-6s %8.1f %10.1f %7.2fx %+7.1f  %s (%s)\n", p, c, t, t / c, t - c,
      v == 1 ? "XDP_DROP" : "XDP_PASS", (t <= c * 1.1 + 2) ? "within 1.1x + 2 ns" : "over the goal"
  }'
done
