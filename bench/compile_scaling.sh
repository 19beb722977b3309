#!/usr/bin/env bash
# Linear-time check of the compiler (issue 13): `--dry-run` of programs with 1k, 5k and 20k
# probes (one count() each, spread over the syscall tracepoints, at most 64 per tracepoint),
# and of a ternary chain of the same lengths. Prints elapsed, user and system seconds and peak
# RSS, and the cost per probe relative to the smallest size: a ratio near 1.0 is linear. User
# time is the compiler (parse, passes, LLVM); system time is mostly the kernel's verifier.
# bpftrace 0.17 has no --dry-run, so there is no side-by-side column here.
# Run as root after building tracelet:   bench/compile_scaling.sh [SIZES...] (default 1000 5000 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
tracelet=${TRACELET:-build/tracelet}
[[ -x $tracelet ]] || { echo "$tracelet missing: build tracelet first" >&2; exit 1; }
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 5000 20000)
tracefs=/sys/kernel/tracing
[[ -d $tracefs/events/syscalls ]] || tracefs=/sys/kernel/debug/tracing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ls "$tracefs/events/syscalls" | grep '^sys_enter_' > "$tmp/tracepoints"
mapfile -t tps < "$tmp/tracepoints"
(( ${#tps[@]} > 0 )) || { echo "no syscall tracepoints under $tracefs" >&2; exit 1; }

measure() { # label n file
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$tracelet" --dry-run "$3" >/dev/null 2>"$tmp/err" ||
    { echo "$1 $2: failed: $(head -c 300 "$tmp/err")" >&2; return; }
  read -r elapsed user sys rss < "$tmp/time"
  local per_probe_ms
  per_probe_ms=$(awk -v u="$user" -v n="$2" 'BEGIN { printf "%.3f", 1000 * u / n }')
  if [[ -z ${base[$1]:-} ]]; then base[$1]=$per_probe_ms; fi
  printf '%-8s %7d %9.2f %8.2f %8.2f %9d %14s %7.2f\n' "$1" "$2" "$elapsed" "$user" "$sys" \
    "$rss" "$per_probe_ms" "$(awk -v a="$per_probe_ms" -v b="${base[$1]}" 'BEGIN { printf "%.2f", a / b }')"
}

declare -A base
printf '%-8s %7s %9s %8s %8s %9s %14s %7s\n' shape n elapsed_s user_s sys_s rss_kb \
  user_ms/probe ratio
for n in "${sizes[@]}"; do
  for ((i = 0; i < n; i++)); do
    echo "tracepoint:syscalls:${tps[i % ${#tps[@]}]} { @c[$i] = count(); }"
  done > "$tmp/probes.bt"
  measure probes "$n" "$tmp/probes.bt"
done
for n in "${sizes[@]}"; do
  { printf 'BEGIN { @x = '; for ((i = 0; i < n; i++)); do printf 'pid == %d ? %d : ' "$i" "$i"; done
    echo '0; }'; } > "$tmp/ternary.bt"
  measure ternary "$n" "$tmp/ternary.bt"
done
