#!/usr/bin/env bash
# --metrics: time to serve one scrape of large maps, and the cost per event with and without
# --metrics (kernel-measured, kernel.bpf_stats_enabled=1).
#   1. 10,000 keys in one scrape: maps hold at most 4096 keys (as bpftrace's default
#      map_keys_max), so 4096 + 4096 + 1808 keys in three maps; and one 4096-key map alone.
#   2. a 100-bucket lhist (102 buckets with the two out-of-range ones) and a hist.
#   3. ns/event of `@[comm] = count()` and of `@h = hist(...)` on getppid, without and with
#      --metrics: count() maps are the same; hist() keeps its sum with --metrics (one more
#      map update per event).
# Scrapes are timed with curl (time_total, loopback), median of RUNS.
#   bench/metrics_scrape.sh [RUNS] [BUILD_DIR]     (defaults: 31, build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-31}
build=${2:-build}
tracelet=$build/tracelet
workload=$build/tl_workload
for tool in "$tracelet" "$workload" "$build/tracelet-metrics-http.so"; do
  [[ -e $tool ]] || { echo "$tool missing: build tracelet and tl_workload first" >&2; exit 1; }
done
for tool in curl jq bpftool; do
  command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
port=$((20000 + RANDOM % 20000))
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
tool_pid=
out=$(mktemp)
cleanup() {
  [[ -n $tool_pid ]] && kill -INT "$tool_pid" 2>/dev/null && wait "$tool_pid" 2>/dev/null || true
  sysctl -q kernel.bpf_stats_enabled="$old_stats"
  rm -f "$out"
}
trap cleanup EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# start <args...>: runs tracelet in the background until its "ready" line.
start() {
  "$tracelet" -q "$@" >"$out" 2>&1 &
  tool_pid=$!
  for _ in $(seq 200); do
    grep -q ready "$out" && return 0
    sleep 0.05
  done
  echo "tracelet did not start: $(cat "$out")" >&2
  exit 1
}
stop() {
  kill -INT "$tool_pid" && wait "$tool_pid" || true
  tool_pid=
}

# scrape_ms LABEL: median time to serve /metrics, with the size of the answer.
scrape_ms() {
  local label=$1 bytes series ms
  bytes=$(curl -s "http://127.0.0.1:$port/metrics" | wc -c)
  series=$(curl -s "http://127.0.0.1:$port/metrics" | grep -vc '^#')
  ms=$(for _ in $(seq "$runs"); do
    curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/metrics"
  done | median)
  awk -v l="$label" -v ms="$ms" -v b="$bytes" -v s="$series" \
    'BEGIN { printf "  %-34s %7.2f ms  (%d samples, %d KB)\n", l, ms * 1000, s, b / 1024 }'
}

echo "scrape time (curl time_total on loopback, median of $runs)"
start --metrics "$port" -e 'BEGIN {
  $i = 0; while ($i < 4096) { @a[$i] = $i; @b[$i] = count(); $i++; }
  $i = 0; while ($i < 1808) { @c[$i, "x"] = $i; $i++; }
  printf("ready\n"); }'
scrape_ms "10,000 keys (3 maps)"
stop
start --metrics "$port" -e 'BEGIN { $i = 0; while ($i < 4096) { @a[$i, comm] = $i; $i++; } printf("ready\n"); }'
scrape_ms "one map of 4096 keys"
stop
start --metrics "$port" -e 'BEGIN { $i = 0; while ($i < 100) { @l = lhist($i, 0, 100, 1); @h = hist($i); $i++; } printf("ready\n"); }'
scrape_ms "lhist of 100 buckets + a hist"
stop

# ns/event: growth of run_time_ns / run_cnt of tracelet's getppid program over N calls.
n=200000
sysctl -q kernel.bpf_stats_enabled=1
prog_stats() {
  bpftool prog show -j | jq -r '[.[] | select(.type == "tracepoint") | select(.name | test("getpp"))] |
    "\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}
per_event() {
  local t0 c0 t1 c1
  start "$@"
  read -r t0 c0 < <(prog_stats)
  "$workload" getppid "$n"
  read -r t1 c1 < <(prog_stats)
  stop
  awk -v t="$((t1 - t0))" -v c="$((c1 - c0))" 'BEGIN { printf "%.1f", c ? t / c : 0 }'
}
echo "cost per event ($n getppid calls, run_time_ns / run_cnt)"
for prog in '@[comm] = count();' '@h = hist(nsecs & 0xffff);'; do
  script="BEGIN { printf(\"ready\\n\"); } tracepoint:syscalls:sys_enter_getppid { $prog }"
  plain=$(per_event -e "$script")
  metrics=$(per_event --metrics "$port" -e "$script")
  awk -v p="$prog" -v a="$plain" -v b="$metrics" \
    'BEGIN { printf "  %-30s %6.1f ns   with --metrics %6.1f ns   (%.2fx)\n", p, a, b, a ? b / a : 0 }'
done
