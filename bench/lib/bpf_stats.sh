# Sourced by the benches that read the kernel's per-program run_time_ns/run_cnt: checks that
# $tracelet and $workload are built and jq is there, makes $tmp, and on exit stops the tool
# started as $tool_pid (SIGINT), restores kernel.bpf_stats_enabled and removes $tmp.
for tool in "$tracelet" "$workload"; do
  [[ -x $tool ]] || { echo "$tool missing: build tracelet and tl_workload first" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is needed to read bpftool's JSON" >&2; exit 1; }

tmp=$(mktemp -d)
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
tool_pid=
cleanup() {
  [[ -n $tool_pid ]] && kill -INT "$tool_pid" 2>/dev/null && wait "$tool_pid" 2>/dev/null || true
  sysctl -q kernel.bpf_stats_enabled="$old_stats"
  rm -rf "$tmp"
}
trap cleanup EXIT
