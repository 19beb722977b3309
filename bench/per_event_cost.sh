#!/usr/bin/env bash
# Kernel-measured cost per event of two one-liners under tracelet, bpftrace and hand-written C:
#   tracepoint:syscalls:sys_enter_getppid { @c = count(); }
#   tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }
# With kernel.bpf_stats_enabled=1 the kernel accumulates run_time_ns and run_cnt per program;
# each tool is started, N getppid calls are driven by tl_workload, and the growth of both
# counters for the tool's program gives ns/event. Run as root after building tracelet and
# tl_workload:   bench/per_event_cost.sh [N] [BUILD_DIR]   (defaults: 200000, build)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
build=${2:-build}
tracelet=$build/tracelet
workload=$build/tl_workload
bpftrace=$(command -v bpftrace || true)
source bench/lib/bpf_stats.sh # checks, $tmp, cleanup of $tool_pid and bpf_stats_enabled
sysctl -q kernel.bpf_stats_enabled=1

# The C baselines: a libbpf loader and the two programs (skipped if clang/libbpf are missing).
have_c=0
if command -v clang >/dev/null && cc -O2 bench/c/attach.c -o "$tmp/attach" -lbpf 2>/dev/null; then
  have_c=1
  for f in count comm_count; do
    clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c "bench/c/$f.bpf.c" \
      -o "$tmp/$f.bpf.o" || have_c=0
  done
fi

# bpftrace names its program by the tracepoint, truncated to 15 characters ("sys_enter_getpp").
getppid_prog_ids() {
  bpftool prog show -j | jq -r '.[] | select(.type == "tracepoint") | select(.name | test("getpp")) | .id'
}
# "<run_time_ns> <run_cnt>" summed over the given program ids.
prog_stats() {
  local ids_json
  ids_json=$(printf '%s\n' "$@" | jq -s -c 'map(tonumber)')
  bpftool prog show -j | jq -r --argjson ids "$ids_json" \
    '[.[] | select(.id as $i | $ids | index($i))] |
     "\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}

# measure <ready regex> <command...>: prints ns/event for the command's getppid program.
measure() {
  local ready=$1
  shift
  local before after new t0 c0 t1 c1
  before=$(getppid_prog_ids | sort)
  "$@" >"$tmp/out" 2>&1 &
  tool_pid=$!
  for ((i = 0; i < 300; i++)); do
    grep -qE "$ready" "$tmp/out" && break
    sleep 0.1
  done
  after=$(getppid_prog_ids | sort)
  mapfile -t new < <(comm -13 <(echo "$before") <(echo "$after") | grep .)
  if ((${#new[@]} == 0)); then
    echo "no new getppid program found for: $*" >&2
    kill -INT "$tool_pid"; wait "$tool_pid" || true; tool_pid=
    echo "n/a"
    return
  fi
  read -r t0 c0 < <(prog_stats "${new[@]}")
  "$workload" getppid "$n"
  read -r t1 c1 < <(prog_stats "${new[@]}")
  kill -INT "$tool_pid"
  wait "$tool_pid" || true
  tool_pid=
  # Other processes calling getppid meanwhile count too; the cost per run stays per event.
  awk -v t="$((t1 - t0))" -v c="$((c1 - c0))" 'BEGIN { if (c > 0) printf "%.1f\n", t / c; else print "n/a" }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf 'per-event cost, kernel-measured (run_time_ns / run_cnt), %d getppid calls\n' "$n"
printf '%-12s %12s %12s %12s %16s %14s\n' program tracelet bpftrace C tracelet/bpftrace tracelet/C
declare -A prog=([count]='@c = count();' [comm]='@[comm] = count();')
declare -A cobj=([count]=count [comm]=comm_count)
for p in count comm; do
  text="tracepoint:syscalls:sys_enter_getppid { ${prog[$p]} }"
  t=$(measure '^Attaching' "$tracelet" -e "$text")
  b=n/a
  [[ -n $bpftrace ]] && b=$(measure '^Attaching' "$bpftrace" -e "$text")
  c=n/a
  ((have_c)) && c=$(measure '^ready' "$tmp/attach" "$tmp/${cobj[$p]}.bpf.o")
  printf '%-12s %12s %12s %12s %16s %14s\n' "$p" "$t" "$b" "$c" "$(ratio "$t" "$b")" "$(ratio "$t" "$c")"
done
