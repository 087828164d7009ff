#!/usr/bin/env bash
# run_bench.sh: the end-to-end benchmark of SPEC §10.6 in one command.
#
#   bench/pipeline/run_bench.sh [--rapidbyte PATH] [--rows N] [--runs K] [--quick]
#                               [--suites e2e,check,source,dest,engine,scale,cdc|all]
#                               [--variants copy,insert,...] [--out results.json] [...]
#
# Starts one throwaway PostgreSQL 15 server (tests/harness/with-pg.sh) holding two databases,
# bench_src and bench_dst, seeds `events` (12 typed columns) and `bench_events` in bench_src,
# then runs bench/pipeline/bench.py, which alternates the psql binary COPY baseline with the
# rapidbyte variants (the cdc suite: PostgreSQL's logical replication; bench.py then restarts
# the server with wal_level = logical), measures every command with /usr/bin/time -v,
# verifies every destination against its source, prints the tables and writes the JSON file.
# The server and its data directory are removed on exit (also on Ctrl-C). All options are
# bench.py's; see `bench/pipeline/run_bench.sh --help` and bench/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

for arg in "$@"; do
  if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then
    exec python3 "$here/bench.py" --help
  fi
done

for tool in python3 /usr/bin/time; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run_bench.sh: $tool is required" >&2
    exit 2
  fi
done

# shellcheck source=/dev/null  # tests/harness/with-pg.sh: defines rb_pg_start / rb_pg_stop
source "$repo/tests/harness/with-pg.sh"

child=""
# shellcheck disable=SC2317  # the two functions run from traps
cleanup() {
  local rc=$?
  rb_pg_stop
  exit "$rc"
}
# shellcheck disable=SC2317
on_signal() {
  if [[ -n "$child" ]]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

echo "run_bench.sh: starting a throwaway PostgreSQL server" >&2
rb_pg_start
echo "run_bench.sh: PostgreSQL on 127.0.0.1:$PGPORT (data in $RB_PG_DATA_DIR)" >&2

# Background + wait so INT/TERM reach the traps at once.
python3 "$here/bench.py" --repo "$repo" "$@" &
child=$!
rc=0
wait "$child" || rc=$?
child=""
exit "$rc"
