#!/usr/bin/env bash
# Quick start on a fresh Debian bookworm machine: installs the packages, builds rapidbyte
# (release preset, with its bundled connectors) and runs the main job: a real PostgreSQL ->
# PostgreSQL pipeline (examples/pg_to_pg.yaml) against a throwaway local server with two
# databases, shop and warehouse, that this script starts and removes (scripts/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${RB_SKIP_SETUP:-0}" != 1 ]]; then
  bash scripts/setup.sh
fi

cmake --preset release
cmake --build --preset release -j "$(nproc)"

bin=build/release/bin/rapidbyte
echo
"$bin" --version
echo
tests/harness/with-pg.sh -- bash scripts/demo.sh
