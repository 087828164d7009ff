#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian bookworm machine: installs the packages
# (scripts/setup.sh), builds with ASan+UBSan (preset dev) and runs every test with CTest,
# then the threaded tests under ThreadSanitizer (preset tsan), then builds the libFuzzer
# targets (preset fuzz) and runs each one briefly.
#   scripts/test.sh                 everything
#   scripts/test.sh -L unit         only the dev tests labelled unit (any ctest arguments)
# RB_SKIP_SETUP=1 skips the package step; RB_SKIP_TSAN=1 the ThreadSanitizer pass;
# RB_SKIP_FUZZ=1 skips the fuzzers;
# RB_FUZZ_SECONDS (default 20) is how long each fuzzer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${RB_SKIP_SETUP:-0}" != 1 ]]; then
  bash scripts/setup.sh
fi

jobs=$(nproc)
cmake --preset dev
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs" --timeout 900 "$@"

if [[ "${RB_SKIP_TSAN:-0}" != 1 && $# -eq 0 ]]; then
  # ThreadSanitizer over the tests of threaded code (label tsan), built separately.
  cmake --preset tsan
  cmake --build --preset tsan -j "$jobs" --target plugin_host_test engine_core_test engine_run_test
  ctest --preset tsan -L tsan --timeout 900
fi

if [[ "${RB_SKIP_FUZZ:-0}" != 1 && $# -eq 0 ]]; then
  cmake --preset fuzz -DRB_FUZZ_SECONDS="${RB_FUZZ_SECONDS:-20}"
  cmake --build --preset fuzz -j "$jobs"
  ctest --preset fuzz
fi
