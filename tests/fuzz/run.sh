#!/usr/bin/env bash
# Builds the libFuzzer harness (tests/fuzz/fuzz_frontend.cpp) with clang-14, ASan and UBSan into
# build-fuzz/, and runs it for a fixed time over the seed corpus: tests/fuzz/seeds (every
# statement and expression form, every probe kind and builtin), the differential and golden test
# programs, earlier crash inputs, scripts/ and bpftrace's tools (/usr/sbin/*.bt, read in place).
# A crash, sanitizer report, leak or hang stops the run with status 1 and leaves the input in
# build-fuzz/crashes/ (copy it to tests/unit/codegen/fuzz_regressions/ with the fix). Prints
# the executions and coverage at the end. New inputs found accumulate in build-fuzz/corpus/.
#   tests/fuzz/run.sh [SECONDS]     (default 60; test.sh runs it after ctest)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTRACELET_FUZZ=ON >/dev/null
cmake --build build-fuzz -j2 --target tracelet_fuzz
corpus=build-fuzz/corpus
seeds=build-fuzz/seeds # the .bt files below, gathered afresh each run (not kept in the repo)
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds" build-fuzz/crashes
n=0
for f in tests/fuzz/seeds/* tests/unit/codegen/fuzz_regressions/* tests/differential/cases/*.bt \
  tests/golden/parser/*.bt scripts/*.bt /usr/sbin/*.bt; do
  [[ -f $f && $f != */README ]] && cp "$f" "$seeds/$((n++))-${f##*/}"
done
echo "fuzzing for ${seconds}s from $n seed programs and $(ls "$corpus" | wc -l) corpus inputs"
# One input compiles in milliseconds: -timeout catches hangs, -rss_limit_mb runaway memory.
status=0
UBSAN_OPTIONS=print_stacktrace=1 \
  build-fuzz/tracelet_fuzz -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
  -max_len=8192 -dict=tests/fuzz/tracelet.dict -print_final_stats=1 \
  -artifact_prefix=build-fuzz/crashes/ "$corpus" "$seeds" >build-fuzz/fuzz.log 2>&1 ||
  status=$?
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|^Done|SUMMARY' build-fuzz/fuzz.log || true
if [[ $status -ne 0 ]]; then
  grep -E -A40 '^==[0-9]+==|runtime error|^ALARM|out-of-memory' build-fuzz/fuzz.log | head -80 >&2 ||
    true
  echo "fuzzing found a crash (status $status): build-fuzz/fuzz.log, input in build-fuzz/crashes/" >&2
  exit 1
fi
