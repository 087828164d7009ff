#!/usr/bin/env bash
# with-pg.sh: run a command against a throwaway PostgreSQL cluster (scripts, CI, by hand).
#
#   tests/harness/with-pg.sh [--port N] -- <command...>
#
# Creates a cluster in a fresh temp dir (initdb, trust auth, superuser "postgres"), starts it
# on a free 127.0.0.1 port (or --port N) with its unix socket in the temp dir, runs the
# command with PGHOST, PGPORT, PGUSER, PGDATABASE, RB_PG_DATA_DIR, RB_PG_URL exported and
# $RB_PG_BIN first on PATH (so `psql` is the matching client), then always stops the server
# and deletes the temp dir (on exit, INT and TERM; a detached watchdog covers SIGKILL).
# Exits with the command's exit code. As root, the server runs as the `postgres` OS user
# (`nobody` if absent). Any cluster already running on 5432 is never touched.
#
# Sourced instead (`source tests/harness/with-pg.sh`), it only defines rb_pg_start [port]
# and rb_pg_stop, which do the same for the current shell.
#
# Env: RB_PG_BIN (default /usr/lib/postgresql/15/bin), TMPDIR (default /tmp).

# Runs detached; once the owning shell ($1) is gone, kills the postmaster and removes $2.
# shellcheck disable=SC2016  # expanded by the watchdog sh, not here
_RB_PG_WATCHDOG='
while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
[ -d "$2" ] || exit 0
pm=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null)
if [ -n "$pm" ]; then
  kill -QUIT "$pm" 2>/dev/null
  n=0
  while kill -0 "$pm" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
fi
rm -rf "$2"
'

# Run a command as the cluster's OS user, from inside the temp dir (the user may not be able
# to read the caller's working directory, which initdb and pg_ctl need).
_rb_pg_as_owner() {
  if [[ -n "${_RB_PG_RUNAS:-}" ]]; then
    (cd "$_RB_PG_DIR" && runuser -u "$_RB_PG_RUNAS" -- "$@")
  else
    (cd "$_RB_PG_DIR" && "$@")
  fi
}

# Print a port on 127.0.0.1 that nothing listens on, below the kernel's ephemeral range.
_rb_pg_pick_port() {
  local port
  for _ in {1..100}; do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "with-pg.sh: found no free port" >&2
  return 1
}

rb_pg_start() {
  local want_port="${1:-}"
  local bin="${RB_PG_BIN:-/usr/lib/postgresql/15/bin}"
  if [[ -n "${_RB_PG_DIR:-}" ]]; then
    echo "with-pg.sh: a cluster is already running in $_RB_PG_DIR" >&2
    return 1
  fi
  if [[ ! -x "$bin/initdb" || ! -x "$bin/pg_ctl" ]]; then
    echo "with-pg.sh: no initdb/pg_ctl in $bin (install postgresql-15 or set RB_PG_BIN)" >&2
    return 1
  fi
  _RB_PG_RUNAS=""
  if [[ $(id -u) -eq 0 ]]; then
    if id -u postgres >/dev/null 2>&1; then
      _RB_PG_RUNAS=postgres
    elif id -u nobody >/dev/null 2>&1; then
      _RB_PG_RUNAS=nobody
    else
      echo "with-pg.sh: running as root, but there is no postgres or nobody user" >&2
      return 1
    fi
  fi

  # Unix socket paths are limited to 107 bytes, and the server user must reach the dir.
  local parent="${TMPDIR:-/tmp}"
  parent="${parent%/}"
  if ((${#parent} > 60)) || [[ ! -w "$parent" ]] ||
    { [[ -n "$_RB_PG_RUNAS" ]] && ! runuser -u "$_RB_PG_RUNAS" -- test -x "$parent"; }; then
    parent=/tmp
  fi
  _RB_PG_DIR=$(mktemp -d "$parent/rbpg-XXXXXX") || return 1
  setsid -f sh -c "$_RB_PG_WATCHDOG" rb-pg-watchdog "$$" "$_RB_PG_DIR" \
    </dev/null >/dev/null 2>&1
  if [[ -n "$_RB_PG_RUNAS" ]]; then
    chown "$_RB_PG_RUNAS:" "$_RB_PG_DIR"
  fi

  local data="$_RB_PG_DIR/data" log="$_RB_PG_DIR/server.log" out
  if ! out=$(_rb_pg_as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 -N \
    --locale=C.UTF-8 2>&1); then
    rm -rf "$data"
    if ! out=$(_rb_pg_as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 -N \
      --locale=C 2>&1); then
      echo "with-pg.sh: initdb failed:" >&2
      echo "$out" >&2
      rb_pg_stop
      return 1
    fi
  fi
  # Appending / truncating keeps the files' owner (the server user).
  cat >>"$data/postgresql.conf" <<EOF

# rapidbyte test harness (with-pg.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$_RB_PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 32MB
password_encryption = 'scram-sha-256'
logging_collector = off
EOF
  printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' \
    'host all all ::1/128 trust' >"$data/pg_hba.conf"

  local attempt port started=""
  for attempt in 1 2 3 4 5; do
    port="$want_port"
    if [[ -z "$port" ]]; then
      port=$(_rb_pg_pick_port) || break
    fi
    echo "port = $port" >>"$data/postgresql.conf"
    if out=$(_rb_pg_as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start 2>&1); then
      started=1
      break
    fi
    # Retry on a new port only if ours was taken between the probe and the bind.
    if [[ -n "$want_port" ]] || ! grep -q "Address already in use" "$log" 2>/dev/null; then
      break
    fi
  done
  if [[ -z "$started" ]]; then
    echo "with-pg.sh: pg_ctl start failed (attempt $attempt):" >&2
    echo "$out" >&2
    echo "--- server log tail ---" >&2
    tail -n 30 "$log" >&2 2>/dev/null || true
    rb_pg_stop
    return 1
  fi

  export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
  export RB_PG_DATA_DIR="$data" RB_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  export PATH="$bin:$PATH"
}

# Stop the server and delete the temp dir; safe to call twice or without a cluster.
rb_pg_stop() {
  local dir="${_RB_PG_DIR:-}" bin="${RB_PG_BIN:-/usr/lib/postgresql/15/bin}"
  if [[ -z "$dir" ]]; then
    return 0
  fi
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    _rb_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      _rb_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop \
        >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  unset _RB_PG_DIR RB_PG_DATA_DIR RB_PG_URL PGHOST PGPORT PGUSER PGDATABASE
}

_rb_pg_usage() {
  echo "usage: with-pg.sh [--port N] -- <command...>"
}

_rb_pg_main() {
  set -euo pipefail
  local port=""
  while (($# > 0)); do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      --port=*) port="${1#--port=}"; shift ;;
      -h | --help) _rb_pg_usage; return 0 ;;
      --) shift; break ;;
      *) _rb_pg_usage >&2; return 2 ;;
    esac
  done
  if (($# == 0)); then
    _rb_pg_usage >&2
    return 2
  fi

  _RB_PG_CHILD=""
  trap '_rb_pg_on_exit' EXIT
  trap '_rb_pg_on_signal 130' INT
  trap '_rb_pg_on_signal 143' TERM
  rb_pg_start "$port"
  # In the background so INT/TERM reach our traps at once; <&0 keeps the caller's stdin
  # (bash would give a background command /dev/null).
  "$@" <&0 &
  _RB_PG_CHILD=$!
  local rc=0
  wait "$_RB_PG_CHILD" || rc=$?
  _RB_PG_CHILD=""
  return "$rc"
}

_rb_pg_on_exit() {
  local rc=$?
  rb_pg_stop
  exit "$rc"
}

_rb_pg_on_signal() {
  if [[ -n "${_RB_PG_CHILD:-}" ]]; then
    kill -TERM "$_RB_PG_CHILD" 2>/dev/null || true
    wait "$_RB_PG_CHILD" 2>/dev/null || true
  fi
  exit "$1"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  _rb_pg_main "$@"
fi
