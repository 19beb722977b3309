#!/usr/bin/env bash
# Start-up and memory benchmark: the hello-world one-liner, end to end, under tracelet and
# under Debian's bpftrace, alternating runs. Prints the median wall time and peak RSS of each
# and their ratios (tracelet / bpftrace). Run as root after ./setup.sh.
#   bench/startup.sh [RUNS]     (default 11)
# BENCH_PROG='...' measures another program (e.g. a uprobe with DWARF args:
#   BENCH_PROG='uprobe:build/tl_dwarf_target:tld_ints { print(args.a); } BEGIN { exit(); }');
# TRACELET=path measures another build of tracelet (before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
prog=${BENCH_PROG:-'BEGIN { printf("hi\n"); exit(); }'}
tracelet=${TRACELET:-build/tracelet}
bpftrace=$(command -v bpftrace || true)
[[ -x $tracelet ]] || { echo "build/tracelet missing: run ./setup.sh" >&2; exit 1; }

# One timed run: prints "<wall ms> <max RSS KiB>" (GNU time's %e is too coarse for ms).
measure() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o /tmp/tracelet-bench.$$ "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo "$(((end - start) / 1000)) $(tail -n 1 /tmp/tracelet-bench.$$)" | awk '{ print $1 / 1000, $2 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -a tw tm bw bm
measure "$tracelet" -e "$prog" >/dev/null # warm-up (page cache)
[[ -n $bpftrace ]] && measure "$bpftrace" -e "$prog" >/dev/null
for ((i = 0; i < runs; i++)); do
  read -r w m < <(measure "$tracelet" -e "$prog"); tw+=("$w"); tm+=("$m")
  if [[ -n $bpftrace ]]; then
    read -r w m < <(measure "$bpftrace" -e "$prog"); bw+=("$w"); bm+=("$m")
  fi
done
rm -f /tmp/tracelet-bench.$$

t_wall=$(printf '%s\n' "${tw[@]}" | median)
t_rss=$(printf '%s\n' "${tm[@]}" | median)
printf '%s, %d runs each (median)\n' "${BENCH_PROG:-hello world}" "$runs"
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
