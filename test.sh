#!/usr/bin/env bash
# Sets up (setup.sh) and runs every test: unit tests, then runtime tests on the real kernel.
# Runtime tests need root; without it they are reported as skipped, with the reason.
# Then, unless ctest arguments narrow the run, the fuzz harness (tests/fuzz/run.sh) builds and
# fuzzes for TRACELET_FUZZ_SECONDS (60; 0 skips it) and fails on any crash it finds.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
ctest --test-dir build --output-on-failure "$@"
fuzz_seconds=${TRACELET_FUZZ_SECONDS:-60}
if (($# == 0)) && ((fuzz_seconds > 0)); then
  tests/fuzz/run.sh "$fuzz_seconds"
fi
