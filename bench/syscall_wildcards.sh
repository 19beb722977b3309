#!/usr/bin/env bash
# Syscall tracepoint wildcards: tracelet's raw_tracepoint dispatcher (codegen/syscall_dispatch.cpp)
# against one tracepoint program per syscall (tracelet with TRACELET_SYSCALL_DISPATCH=0, as
# before the dispatcher) and bpftrace 0.17, in one run.
#
# 1. End to end, the issue's one-liner:
#      tracepoint:syscalls:sys_enter_* { @n = count(); } interval:s:1 { exit(); }
# 2. Phases of tracepoint:syscalls:sys_enter_* (all ~361 syscalls), from the tool's start:
#      attach       until BEGIN's line (BEGIN runs once every probe is attached, in both tools)
#      first event  until the first line printed by a syscall event
#      detach       from SIGINT until the tool has exited (END, maps and detach included)
# 3. Cost per event of the dispatcher against one tracepoint program, for getppid calls driven
#    by tl_workload, with kernel.bpf_stats_enabled=1:
#      tracepoint   tracepoint:syscalls:sys_enter_getppid { @c = count(); }  (a tracepoint program)
#      dispatcher   the same probe on sys_enter_getppid and sys_enter_getpgid (one raw_tp program)
#    ns/run is run_time_ns / run_cnt of the program (the dispatcher runs on every syscall of the
#    machine, returning at once for the others); ns/getppid is its run_time_ns over the getppid
#    calls made; wall ns/call is tl_workload's own time per getppid call, which includes what the
#    kernel spends around the program (a tracepoint's perf record, a raw tracepoint's call).
#
# Run as root after building tracelet and tl_workload:
#   bench/syscall_wildcards.sh [RUNS] [BUILD_DIR]     (defaults: 3, build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
build=${2:-build}
tracelet=$(realpath "$build/tracelet")
workload=$(realpath "$build/tl_workload")
bpftrace=$(command -v bpftrace || true)
source bench/lib/bpf_stats.sh # checks, $tmp, cleanup of $tool_pid and bpf_stats_enabled

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

# The three tools as commands; "per-syscall" is tracelet without the dispatcher.
tool_cmd() {
  case $1 in
  dispatcher) echo "env $tracelet" ;;
  per-syscall) echo "env TRACELET_SYSCALL_DISPATCH=0 $tracelet" ;;
  bpftrace) echo "$bpftrace" ;;
  esac
}
tools=(dispatcher per-syscall)
[[ -n $bpftrace ]] && tools+=(bpftrace)

# ---- 1. end to end
oneliner='tracepoint:syscalls:sys_enter_* { @n = count(); } interval:s:1 { exit(); }'
declare -A e2e
for t in "${tools[@]}"; do
  times=()
  for ((r = 0; r < runs; r++)); do
    t0=$(now_ms)
    $(tool_cmd "$t") -e "$oneliner" >"$tmp/out" 2>&1 || true
    times+=($(($(now_ms) - t0)))
    grep -q '^@n: [0-9]' "$tmp/out" || echo "warning: $t printed no @n" >&2
  done
  e2e[$t]=$(printf '%s\n' "${times[@]}" | median)
done

# ---- 2. phases
phases='BEGIN { printf("attached\n"); }
tracepoint:syscalls:sys_enter_* /@seen == 0/ { @seen = 1; printf("first event\n"); }'
declare -A attach first detach
for t in "${tools[@]}"; do
  a=() f=() d=()
  for ((r = 0; r < runs; r++)); do
    : >"$tmp/out"
    t0=$(now_ms)
    $(tool_cmd "$t") -e "$phases" >"$tmp/out" 2>&1 &
    tool_pid=$!
    ta= tf=
    for ((i = 0; i < 12000 && (${#ta} == 0 || ${#tf} == 0); i++)); do
      [[ -z $tf ]] && grep -q '^first event' "$tmp/out" && tf=$(now_ms)
      [[ -z $ta ]] && grep -q '^attached' "$tmp/out" && ta=$(now_ms)
      sleep 0.005
    done
    t1=$(now_ms)
    kill -INT "$tool_pid"
    wait "$tool_pid" || true
    tool_pid=
    a+=($((${ta:-$t1} - t0))) f+=($((${tf:-$t1} - t0))) d+=($(($(now_ms) - t1)))
  done
  attach[$t]=$(printf '%s\n' "${a[@]}" | median)
  first[$t]=$(printf '%s\n' "${f[@]}" | median)
  detach[$t]=$(printf '%s\n' "${d[@]}" | median)
done

printf 'tracepoint:syscalls:sys_enter_* (%s syscalls), median of %d runs, ms\n' \
  "$(ls /sys/kernel/tracing/events/syscalls 2>/dev/null | grep -c '^sys_enter_' || echo '?')" "$runs"
printf '%-12s %12s %10s %12s %10s %18s\n' tool end-to-end attach first-event detach e2e/bpftrace
for t in "${tools[@]}"; do
  printf '%-12s %12s %10s %12s %10s %18s\n' "$t" "${e2e[$t]}" "${attach[$t]}" "${first[$t]}" \
    "${detach[$t]}" "$(ratio "${e2e[$t]}" "${e2e[bpftrace]:-0}")"
done

# ---- 3. cost per event
sysctl -q kernel.bpf_stats_enabled=1
n=200000
prog_ids() { bpftool prog show -j | jq -r '.[] | select(.name | test("^p0_(tracepoint_s|raw_tracepoi)")) | .id' | sort; }
prog_stats() {
  local ids_json
  ids_json=$(printf '%s\n' "$@" | jq -s -c 'map(tonumber)')
  bpftool prog show -j | jq -r --argjson ids "$ids_json" \
    '[.[] | select(.id as $i | $ids | index($i))] |
     "\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}
workload_ns_per_call() {
  local t0 t1
  t0=$(date +%s%N)
  "$workload" getppid "$n"
  t1=$(date +%s%N)
  echo $(((t1 - t0) / n))
}
# cost <script>: "<ns/run> <ns/getppid> <wall ns/call>"
cost() {
  local before after new t0 c0 t1 c1 wall
  before=$(prog_ids)
  "$tracelet" -e "$1" >"$tmp/out" 2>&1 &
  tool_pid=$!
  for ((i = 0; i < 300; i++)); do
    grep -q '^Attaching' "$tmp/out" && break
    sleep 0.1
  done
  sleep 0.3
  mapfile -t new < <(comm -13 <(echo "$before") <(prog_ids) | grep .)
  read -r t0 c0 < <(prog_stats "${new[@]}")
  wall=$(workload_ns_per_call)
  read -r t1 c1 < <(prog_stats "${new[@]}")
  kill -INT "$tool_pid"
  wait "$tool_pid" || true
  tool_pid=
  awk -v t="$((t1 - t0))" -v c="$((c1 - c0))" -v n="$n" -v w="$wall" \
    'BEGIN { printf "%.1f %.1f %d\n", (c > 0 ? t / c : 0), t / n, w }'
}
base_wall=$(workload_ns_per_call)
read -r tp_run tp_event tp_wall < <(cost 'tracepoint:syscalls:sys_enter_getppid { @c = count(); }')
read -r d_run d_event d_wall < <(cost 'tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_getpgid { @c = count(); }')
printf '\ncost per event, %d getppid calls (untraced: %d ns/call wall)\n' "$n" "$base_wall"
printf '%-12s %10s %14s %16s\n' program ns/run ns/getppid 'wall ns/call'
printf '%-12s %10s %14s %16s\n' tracepoint "$tp_run" "$tp_event" "$tp_wall"
printf '%-12s %10s %14s %16s\n' dispatcher "$d_run" "$d_event" "$d_wall"
printf 'dispatcher/tracepoint: ns/getppid %s, wall %s\n' "$(ratio "$d_event" "$tp_event")" \
  "$(ratio "$d_wall" "$tp_wall")"
