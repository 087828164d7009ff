#!/usr/bin/env bash
# run_fuzzer.sh <fuzzer> <work dir> <seconds> <seed dirs...>
# Runs a libFuzzer binary for a bounded time over a fresh copy of its seeds, so the
# checked-in corpora are never modified. Fails on any crash, leak, timeout or OOM.
set -euo pipefail
fuzzer=$1 work=$2 seconds=$3
shift 3
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
for seeds in "$@"; do
  if [[ -d "$seeds" ]]; then
    find "$seeds" -type f -exec cp -t "$work/corpus" {} + 2>/dev/null || true
  fi
done
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus"
