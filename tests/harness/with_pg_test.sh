#!/usr/bin/env bash
# with_pg_test.sh: ctest check for with-pg.sh (registered as with_pg_sh_test). Runs psql
# through it and checks the answer, the exit code, --port, sourcing, and that the temp dir
# and server are gone after a normal exit, after SIGTERM, and after SIGKILL (watchdog).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
with_pg="$here/with-pg.sh"
work=$(mktemp -d)
chmod 755 "$work"  # as root the server runs as postgres and must reach TMPDIR
trap 'rm -rf "$work"' EXIT
scratch="$work/scratch"  # our own files, outside the TMPDIR that with-pg.sh uses
mkdir "$scratch" "$work/tmp"
chmod 755 "$work/tmp"
export TMPDIR="$work/tmp"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# The TMPDIR used by with-pg.sh must be empty again (no cluster dir left behind).
expect_clean() {
  local left
  left=$(ls -A "$TMPDIR")
  [[ -z "$left" ]] || fail "$1: left behind in TMPDIR: $left"
}
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
wait_until() {  # wait_until <seconds> <command...>
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
tmp_empty() { [[ -z $(ls -A "$TMPDIR") ]]; }
port_closed() { ! port_open "$1"; }

# 1. The basic contract.
out=$(bash "$with_pg" -- psql -tAc 'select 41+1')
[[ "$out" == "42" ]] || fail "expected 42, got '$out'"
expect_clean "normal exit"
echo "ok: psql -tAc 'select 41+1' -> 42"

# 2. Environment, exit code propagation, and the server is gone afterwards.
rc=0
bash "$with_pg" -- bash -c 'echo "$PGPORT" >"$1/port"; test -f "$RB_PG_DATA_DIR/PG_VERSION" &&
  [[ $(psql "$RB_PG_URL" -tAc "select current_user") == postgres ]] && exit 7' _ "$scratch" ||
  rc=$?
[[ "$rc" == 7 ]] || fail "expected exit code 7, got $rc"
port=$(cat "$scratch/port")
port_closed "$port" || fail "port $port still open after exit"
expect_clean "exit 7"
echo "ok: env exported, exit code 7 propagated, port $port closed"

# 3. --port.
want=$((61000 + RANDOM % 4000))
while port_open "$want"; do want=$((want + 1)); done
out=$(bash "$with_pg" --port "$want" -- psql -tAc 'show port')
[[ "$out" == "$want" ]] || fail "--port $want: server reports '$out'"
expect_clean "--port"
echo "ok: --port $want"

# 4. SIGTERM while the command runs: the command is stopped and the cluster removed.
bash "$with_pg" -- bash -c 'echo "$PGPORT" >"$1/port.tmp"; mv "$1/port.tmp" "$1/port2";
  exec sleep 300' _ "$scratch" &
pid=$!
wait_until 60 test -f "$scratch/port2" || fail "TERM case: cluster did not start"
port=$(cat "$scratch/port2")
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[[ "$rc" == 143 ]] || fail "TERM case: expected exit 143, got $rc"
port_closed "$port" || fail "TERM case: port $port still open"
expect_clean "SIGTERM"
echo "ok: SIGTERM -> exit 143, cleaned up"

# 5. SIGKILL: no trap runs; the watchdog must stop the server and remove the dir.
bash "$with_pg" -- bash -c 'echo "$PGPORT" >"$1/port.tmp"; mv "$1/port.tmp" "$1/port3";
  echo $$ >"$1/cmd.pid"; exec sleep 300' _ "$scratch" &
pid=$!
wait_until 60 test -f "$scratch/port3" || fail "KILL case: cluster did not start"
port=$(cat "$scratch/port3")
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
kill -TERM "$(cat "$scratch/cmd.pid")" 2>/dev/null || true  # the orphaned `sleep`
wait_until 20 tmp_empty || fail "KILL case: watchdog did not remove $(ls -A "$TMPDIR")"
wait_until 10 port_closed "$port" || fail "KILL case: port $port still open"
echo "ok: SIGKILL -> watchdog cleaned up"

# 6. Sourced: rb_pg_start / rb_pg_stop in a strict shell.
out=$(bash -c 'set -euo pipefail; source "$1"; rb_pg_start; psql -tAc "select 6*7";
  rb_pg_stop; rb_pg_stop; [[ -z "${PGPORT:-}" ]] && echo stopped' _ "$with_pg")
[[ "$out" == $'42\nstopped' ]] || fail "sourced mode: got '$out'"
expect_clean "sourced"
echo "ok: sourced rb_pg_start / rb_pg_stop"

echo "PASS"
