#!/usr/bin/env bash
# Linear-time check of the compiler (issue 13): `--dry-run` of programs with 1k, 5k and 20k
# probes (one count() each, spread over the syscall tracepoints, at most 64 per tracepoint),
# and of a ternary chain (500, 1000, 1900 deep: the parser refuses nesting beyond 2000). Prints
# elapsed, user and system seconds, peak RSS, user ms and RSS KB per probe, and the cost per
# probe relative to the smallest size: a ratio near 1.0 is linear. User time is the compiler
# (parse, passes, LLVM); system time is mostly the kernel's verifier.
# Side by side: bpftrace 0.17 has no --dry-run; its nearest is `--emit-elf FILE` (parse,
# passes, LLVM, no verifier load), shown as the `bpftrace` rows (skip with NO_BPFTRACE=1).
# Both tools refuse more than 512 probes by default: the bench raises BPFTRACE_MAX_PROBES
# (and tracelet's BPFTRACE_MAX_BPF_PROGS).
# Where the time goes, per stage: `build/tracelet -d times --dry-run FILE`. 20k probes need
# more open files than many limits allow: tracelet raises RLIMIT_NOFILE, and where the hard
# limit stops it, --dry-run verifies in batches (runtime/open_files.h).
# Run as root after building tracelet:   bench/compile_scaling.sh [SIZES...] (default 1000 5000 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
tracelet=${TRACELET:-build/tracelet}
[[ -x $tracelet ]] || { echo "$tracelet missing: build tracelet first" >&2; exit 1; }
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 5000 20000)
tracefs=/sys/kernel/tracing
[[ -d $tracefs/events/syscalls ]] || tracefs=/sys/kernel/debug/tracing
# No tracefs mounted (bpftrace needs it): run again in a mount namespace of our own with it.
if [[ ! -d $tracefs/events/syscalls && -z ${SCALING_UNSHARED:-} ]]; then
  exec env SCALING_UNSHARED=1 unshare -m --propagation private bash -c \
    'mount -t tracefs nodev /sys/kernel/tracing && exec "$0" "$@"' "$PWD/bench/compile_scaling.sh" "$@"
fi
tracefs=/sys/kernel/tracing
[[ -d $tracefs/events/syscalls ]] || tracefs=/sys/kernel/debug/tracing
export BPFTRACE_MAX_PROBES=1000000 BPFTRACE_MAX_BPF_PROGS=1000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ls "$tracefs/events/syscalls" | grep '^sys_enter_' > "$tmp/tracepoints"
mapfile -t tps < "$tmp/tracepoints"
(( ${#tps[@]} > 0 )) || { echo "no syscall tracepoints under $tracefs" >&2; exit 1; }

measure() { # label n file [tool args...]
  local label=$1 n=$2 file=$3
  shift 3
  local cmd=("$tracelet" --dry-run "$file")
  [[ $# -gt 0 ]] && cmd=("$@" "$file")
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "${cmd[@]}" >/dev/null 2>"$tmp/err" ||
    { echo "$label $n: failed: $(head -c 300 "$tmp/err")" >&2; return; }
  read -r elapsed user sys rss < "$tmp/time"
  local per_probe_ms rss_per_probe
  per_probe_ms=$(awk -v u="$user" -v n="$n" 'BEGIN { printf "%.3f", 1000 * u / n }')
  rss_per_probe=$(awk -v r="$rss" -v n="$n" 'BEGIN { printf "%.1f", r / n }')
  if [[ -z ${base[$label]:-} ]]; then base[$label]=$per_probe_ms; fi
  printf '%-9s %7d %9.2f %8.2f %8.2f %9d %10s %13s %7.2f\n' "$label" "$n" "$elapsed" "$user" \
    "$sys" "$rss" "$rss_per_probe" "$per_probe_ms" \
    "$(awk -v a="$per_probe_ms" -v b="${base[$label]}" 'BEGIN { printf "%.2f", a / b }')"
}

have_bpftrace=0
[[ -z ${NO_BPFTRACE:-} ]] && command -v bpftrace >/dev/null && have_bpftrace=1
declare -A base
printf '%-9s %7s %9s %8s %8s %9s %10s %13s %7s\n' shape n elapsed_s user_s sys_s rss_kb \
  kb/probe user_ms/probe ratio
for n in "${sizes[@]}"; do
  for ((i = 0; i < n; i++)); do
    echo "tracepoint:syscalls:${tps[i % ${#tps[@]}]} { @c[$i] = count(); }"
  done > "$tmp/probes_$n.bt"
  measure probes "$n" "$tmp/probes_$n.bt"
  ((have_bpftrace)) && measure bpftrace "$n" "$tmp/probes_$n.bt" bpftrace --emit-elf "$tmp/bt.o"
done
for n in 500 1000 1900; do
  { printf 'BEGIN { @x = '; for ((i = 0; i < n; i++)); do printf 'pid == %d ? %d : ' "$i" "$i"; done
    echo '0; }'; } > "$tmp/ternary.bt"
  measure ternary "$n" "$tmp/ternary.bt"
  ((have_bpftrace)) && measure bt-tern "$n" "$tmp/ternary.bt" bpftrace --emit-elf "$tmp/bt.o"
done
true
