#!/usr/bin/env bash
# Sets up (setup.sh) and runs every test: unit tests, then runtime tests on the real kernel.
# Runtime tests need root; without it they are reported as skipped, with the reason.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh
ctest --test-dir build --output-on-failure "$@"
