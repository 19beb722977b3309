#!/usr/bin/env bash
# Start-up and memory benchmark: the hello-world one-liner, end to end, under tracelet and
# under Debian's bpftrace, one block of runs each. Prints the median wall time and peak RSS of
# each, their ratios (tracelet / bpftrace) and the floor of the method (the wall time of
# /bin/true measured the same way). Run as root after ./setup.sh.
#   bench/startup.sh [RUNS]     (default 11)
# BENCH_PROG='...' measures another program (e.g. a uprobe with DWARF args:
#   BENCH_PROG='uprobe:build/tl_dwarf_target:tld_ints { print(args.a); } BEGIN { exit(); }');
# TRACELET=path measures another build of tracelet (before/after comparisons).
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a decimal point
cd "$(dirname "$0")/.."
runs=${1:-11}
prog=${BENCH_PROG:-'BEGIN { printf("hi\n"); exit(); }'}
tracelet=${TRACELET:-build/tracelet}
bpftrace=$(command -v bpftrace || true)
[[ -x $tracelet ]] || { echo "build/tracelet missing: run ./setup.sh" >&2; exit 1; }

# Wall time of one run in ms, from bash's own clock around the exec: nothing else is spawned
# inside the interval (a `date` before and after and /usr/bin/time around the program added
# three process start-ups to every run: 19.2 ms reported against ~13 ms measured directly).
wall_ms() {
  local start=$EPOCHREALTIME end
  "$@" >/dev/null 2>&1 || true
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) * 1000 }'
}
# Peak RSS of one run in KiB (GNU time; its own start-up is not in any wall time above).
rss_kib() {
  /usr/bin/time -f '%M' -o "$tmp" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$tmp"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# One tool's runs in a block, not alternated with the other's: the kernel frees an exiting
# bpftrace's programs, maps and perf buffers after it has gone (RCU, workqueues), work that
# may otherwise fall on the next tracelet run. A pause and a warm-up run (page cache) first.
declare -a tw tm bw bm fw
block() { # NAME PROGRAM...
  local -n walls=$1 rss=$2
  shift 2
  sleep 1
  wall_ms "$@" >/dev/null
  for ((i = 0; i < runs; i++)); do walls+=("$(wall_ms "$@")"); done
  for ((i = 0; i < runs; i++)); do rss+=("$(rss_kib "$@")"); done
}
# The floor of this way of measuring: a process that does nothing.
for ((i = 0; i < runs; i++)); do fw+=("$(wall_ms /bin/true)"); done
block tw tm "$tracelet" -e "$prog"
[[ -n $bpftrace ]] && block bw bm "$bpftrace" -e "$prog"

t_wall=$(printf '%s\n' "${tw[@]}" | median)
t_rss=$(printf '%s\n' "${tm[@]}" | median)
printf '%s, %d runs each (median)\n' "${BENCH_PROG:-hello world}" "$runs"
awk -v w="$(printf '%s\n' "${fw[@]}" | median)" \
  'BEGIN { printf "  (floor: /bin/true %.1f ms)\n", w }'
awk -v w="$t_wall" -v m="$t_rss" 'BEGIN { printf "  tracelet: %6.1f ms  %6.1f MB peak RSS\n", w, m / 1024 }'
if [[ -n $bpftrace ]]; then
  b_wall=$(printf '%s\n' "${bw[@]}" | median)
  b_rss=$(printf '%s\n' "${bm[@]}" | median)
  awk -v w="$b_wall" -v m="$b_rss" 'BEGIN { printf "  bpftrace: %6.1f ms  %6.1f MB peak RSS\n", w, m / 1024 }'
  awk -v tw="$t_wall" -v bw="$b_wall" -v tm="$t_rss" -v bm="$b_rss" \
    'BEGIN { printf "  ratio tracelet/bpftrace: time %.3f  memory %.3f\n", tw / bw, tm / bm }'
else
  echo "  bpftrace not installed: no comparison"
fi
