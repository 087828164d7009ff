#!/usr/bin/env bash
# Quick start on a fresh Debian bookworm machine: installs the packages, builds rapidbyte
# (release preset) and shows it working on the example pipeline.
#
# Until the connectors land, this validates the example pipeline with `rapidbyte check`;
# it grows into a real PostgreSQL -> PostgreSQL run (see docs/roadmap in README.md).
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
echo "== rapidbyte check examples/pg_to_pg.yaml"
PG_PASSWORD=example "$bin" check examples/pg_to_pg.yaml
