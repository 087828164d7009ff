#!/usr/bin/env python3
"""End-to-end benchmarks of rapidbyte (SPEC §10.6), driven by bench/pipeline/run_bench.sh.

run_bench.sh starts a throwaway PostgreSQL server and exports PGHOST/PGPORT/PGUSER; this script
creates two databases on it (bench_src, bench_dst), seeds the tables, then measures, in one
session and alternating (round r runs every selected variant once, then round r + 1 ...):

  e2e     PG -> PG: per workload (`events`, `bench_events`, and both tables as two streams)
          the psql binary COPY pipe baseline and rapidbyte with load_method copy (no
          compression, lz4, zstd), insert, and parallelism 1 vs 2 (two streams).
  check   `rapidbyte check` of the two-connector events pipeline (wall time).
  source  source-only: events -> test-sink vs `psql COPY (SELECT * FROM events) TO STDOUT`.
  dest    destination-only: test-gen -> dest-postgres copy vs `psql COPY ... FROM STDIN < file`
          of the same rows.
  engine  engine overhead: test-gen -> test-sink, 10k-row frames, at several row counts.
  scale   peak RSS of the copy pipeline at N rows and at --scale-rows rows, with the default
          channel (4 frames) and with a one-frame channel.
  files   PG -> files (issue #19, SPEC §16): events into Parquet (zstd) on local disk by
          dest-files vs the raw dump `psql COPY events TO STDOUT (FORMAT binary) > file`;
          the Parquet output's size against DuckDB's own zstd Parquet of the same rows (read
          from a CSV export), each file verified by DuckDB (count, distinct ids, sums).
  cdc     CDC catch-up (issue #17, SPEC §14; only when asked for): after the same change set
          (1.2 x --cdc-changes inserts, updates and deletes on a bench_events-shaped table),
          `rapidbyte run` of a cdc upsert mirror vs PostgreSQL's logical replication
          (ALTER SUBSCRIPTION ... ENABLE until applied), both on the one server, which it
          restarts with wal_level = logical.

Every command runs under /usr/bin/time -v (wall, user + system CPU, max RSS). Every
destination is verified against its source: row count plus an order-independent content hash
(two 60-bit sums of md5(row::text)). Only the Python standard library is used.
"""

import argparse
import datetime
import json
import os
import platform
import pwd
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

MIB = 1024 * 1024
SRC_DB = "bench_src"
DST_DB = "bench_dst"
DST_SCHEMA = "raw"
HERE = os.path.dirname(os.path.abspath(__file__))

# Baseline DDL for the destination tables: what dest-postgres creates for `append` (SPEC §8.3:
# same column types and NOT NULL, no primary key), so both load into the same kind of table.
DEST_DDL = {
    "events": """(id int8 NOT NULL, small int4 NOT NULL, big int8 NOT NULL,
        ratio float8 NOT NULL, amount numeric(12,4) NOT NULL, name text NOT NULL,
        code varchar(16) NOT NULL, active bool NOT NULL, created_at timestamptz NOT NULL,
        birthday date NOT NULL, token uuid NOT NULL, note text)""",
    "bench_events": """(id int4 NOT NULL, event_type text NOT NULL, user_id int4 NOT NULL,
        amount int4 NOT NULL, is_active bool NOT NULL, payload text, created_at timestamp)""",
    "gen": "(id int8 NOT NULL, name text, value float8)",
}
# The keyed workload (issue #21): `events` loaded into a table that already has its primary
# key, by the pipe and by rapidbyte append alike (every incremental load writes into one).
DEST_DDL["events_keyed"] = DEST_DDL["events"].replace("id int8 NOT NULL", "id int8 PRIMARY KEY")

# @@BENCH_JSON@@ fields averaged per variant, in the order of the phase table (SPEC §10.6).
PHASE_ROWS = [
    ("duration_secs", "Duration (s)"),
    ("source_duration_secs", "Source duration (s)"),
    ("source_connect_secs", "  Connect"),
    ("source_query_secs", "  Query"),
    ("source_fetch_secs", "  Fetch"),
    ("dest_duration_secs", "Dest duration (s)"),
    ("dest_vm_setup_secs", "  VM setup"),
    ("dest_recv_secs", "  Recv loop"),
    ("dest_connect_secs", "  Connect"),
    ("dest_flush_secs", "  Flush"),
    ("dest_commit_secs", "  Commit"),
    ("dest_wait_secs", "  Wait (blocked on frames)"),
    ("wasm_overhead_secs", "  WASM overhead"),
    ("compress_secs", "Compress (s)"),
    ("decompress_secs", "Decompress (s)"),
    ("source_module_load_ms", "Source load (ms)"),
    ("dest_module_load_ms", "Dest load (ms)"),
    ("cpu_secs", "cpu_secs (engine)"),
    ("peak_rss_bytes", "peak_rss (engine, MiB)"),
    ("bytes_read", "bytes_read (MiB)"),
]


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


# --------------------------------------------------------------------------------------------
# PostgreSQL helpers (psql from the harness's PATH; PGHOST/PGPORT/PGUSER from run_bench.sh)


def psql(db, sql, variables=None, file=None):
    cmd = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db]
    for k, v in (variables or {}).items():
        cmd += ["-v", f"{k}={v}"]
    cmd += ["-f", file] if file else ["-c", sql]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"psql failed ({db}): {sql or file}\n{out.stderr.strip()}")
    return out.stdout.strip()


def content_hash(db, table):
    """Row count and an order-independent hash of the table's content (md5 of each row's text,
    summed as two 60-bit integers), as 'count:sum1:sum2'."""
    sql = (
        "SELECT count(*)::text || ':' || "
        "coalesce(sum(('x' || substr(h, 1, 15))::bit(60)::bigint), 0)::text || ':' || "
        "coalesce(sum(('x' || substr(h, 16, 15))::bit(60)::bigint), 0)::text "
        f"FROM (SELECT md5(t::text) AS h FROM {table} t) s")
    return psql(db, sql)


def copy_stream_bytes(db, query):
    """Size of the binary COPY stream of `query` (the payload both tools move)."""
    proc = subprocess.Popen(
        ["psql", "-X", "-q", "-d", db, "-c", f"COPY ({query}) TO STDOUT (FORMAT binary)"],
        stdout=subprocess.PIPE)
    total = 0
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        total += len(chunk)
    if proc.wait() != 0:
        raise RuntimeError(f"COPY of {query} failed")
    return total


def reset_dest():
    psql(DST_DB, f"DROP SCHEMA IF EXISTS {DST_SCHEMA} CASCADE")


def checkpoint():
    # Flush the previous run's dirty buffers so every run starts from the same server state.
    psql(DST_DB, "CHECKPOINT")


# --------------------------------------------------------------------------------------------
# Measurement


TIME_FIELDS = {
    "User time (seconds)": "user",
    "System time (seconds)": "sys",
    "Maximum resident set size (kbytes)": "maxrss_kb",
    "Elapsed (wall clock) time (h:mm:ss or m:ss)": "elapsed",
    "Exit status": "exit_status",
}


def parse_time_v(path):
    out = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("Command terminated by signal"):
                    out["signal"] = line
                key, _, value = line.rpartition(": ")
                if key in TIME_FIELDS:
                    out[TIME_FIELDS[key]] = value
    except OSError:
        return {}
    res = {}
    for k in ("user", "sys"):
        if k in out:
            res[k] = float(out[k])
    if "maxrss_kb" in out:
        res["maxrss_bytes"] = int(out["maxrss_kb"]) * 1024
    if "exit_status" in out:
        res["exit_status"] = int(out["exit_status"])
    if "signal" in out:
        res["signal"] = out["signal"]
    return res


def run_measured(argv, run_dir, env=None, stdin_path=None):
    """Run argv under /usr/bin/time -v; stdout/stderr to files in run_dir."""
    os.makedirs(run_dir, exist_ok=True)
    tpath = os.path.join(run_dir, "time.txt")
    opath = os.path.join(run_dir, "stdout.txt")
    epath = os.path.join(run_dir, "stderr.txt")
    with open(opath, "wb") as o, open(epath, "wb") as e:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        try:
            t0 = time.monotonic()
            proc = subprocess.run(["/usr/bin/time", "-v", "-o", tpath] + argv, stdout=o,
                                  stderr=e, stdin=stdin, env=env)
            wall = time.monotonic() - t0
        finally:
            if stdin_path:
                stdin.close()
    tv = parse_time_v(tpath)
    return {
        "wall_secs": wall,
        "exit_code": proc.returncode,
        "cpu_secs": tv.get("user", 0.0) + tv.get("sys", 0.0),
        "user_secs": tv.get("user"),
        "sys_secs": tv.get("sys"),
        "maxrss_bytes": tv.get("maxrss_bytes"),
        "signal": tv.get("signal"),
        "stdout": opath,
        "stderr": epath,
    }


def tail(path, n=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def bench_json(stdout_path):
    """The @@BENCH_JSON@@ object of a run's stdout, or None."""
    found = None
    try:
        with open(stdout_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("@@BENCH_JSON@@"):
                    found = line[len("@@BENCH_JSON@@"):].strip()
    except OSError:
        return None
    if found is None:
        return None
    try:
        return json.loads(found)
    except ValueError:
        return None


def postmaster_pid():
    """The benchmark server's postmaster (run_bench.sh exports RB_PG_DATA_DIR), or None."""
    try:
        with open(os.path.join(os.environ["RB_PG_DATA_DIR"], "postmaster.pid"),
                  encoding="utf-8") as f:
            return int(f.readline().strip())
    except (KeyError, OSError, ValueError):
        return None


class ServerSampler:
    """Samples the benchmark server's processes (the postmaster's children) every `interval`
    seconds while a command runs: CPU (user + system, /proc/<pid>/stat) and peak memory
    (VmHWM, /proc/<pid>/status; it includes the shared buffers the process touched). Server
    CPU is the growth over the window summed over every process seen; a process that exits
    between two samples loses at most its last interval."""

    def __init__(self, interval=0.2, waits_db=None):
        self.interval = interval
        self.tick = os.sysconf("SC_CLK_TCK")
        self.postmaster = postmaster_pid()
        self.base, self.last, self.hwm, self.title = {}, {}, {}, {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        # waits_db: also sample, every 10 ms, what the COPY ... FROM backend of that database
        # is doing (pg_stat_activity's wait event; "CPU" when it waits for nothing). ClientRead
        # means it waits for the loader's next bytes.
        self.waits_db, self.waits = waits_db, {}
        self.waits_thread = threading.Thread(target=self.sample_waits, daemon=True)

    def start(self):
        self.sample(first=True)
        self.thread.start()
        if self.waits_db:
            self.waits_thread.start()

    def stop(self):
        self.stopped.set()
        self.thread.join()
        if self.waits_db:
            self.waits_thread.join()
        self.sample()

    def sample_waits(self):
        query = ("SELECT coalesce(string_agg(coalesce(wait_event_type || ':' || wait_event, "
                 "'CPU'), ','), '-') FROM pg_stat_activity WHERE datname = '%s' AND "
                 "state = 'active' AND query ILIKE 'COPY%%FROM%%' AND pid <> pg_backend_pid();\n"
                 % self.waits_db)
        proc = subprocess.Popen(["psql", "-X", "-A", "-t", "-q", "-d", "postgres"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            while not self.stopped.wait(0.01):
                proc.stdin.write(query)
                proc.stdin.flush()
                line = proc.stdout.readline().strip()
                for w in line.split(","):
                    if w and w != "-":
                        self.waits[w] = self.waits.get(w, 0) + 1
        finally:
            proc.stdin.close()
            proc.wait()

    def loop(self):
        while not self.stopped.wait(self.interval):
            self.sample()

    def sample(self, first=False):
        if self.postmaster is None:
            return
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            try:
                with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
                    fields = f.read().rpartition(")")[2].split()
                if int(fields[1]) != self.postmaster:  # fields[1]: ppid
                    continue
                cpu = (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime
                with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as f:
                    hwm = next((int(line.split()[1]) * 1024 for line in f
                                if line.startswith("VmHWM:")), 0)
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    title = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
            if pid not in self.last:
                self.base[pid] = cpu if first else 0.0
            self.last[pid] = cpu
            self.hwm[pid] = max(self.hwm.get(pid, 0), hwm)
            if title:  # a process that has just exited has an empty command line
                self.title[pid] = title

    def summary(self):
        procs = sorted(({"pid": p, "title": self.title.get(p, ""),
                         "cpu_secs": round(self.last[p] - self.base[p], 3),
                         "hwm_bytes": self.hwm[p]} for p in self.last),
                       key=lambda x: -x["cpu_secs"])
        out = {"cpu_secs": round(sum(x["cpu_secs"] for x in procs), 3),
               "procs": [x for x in procs if x["cpu_secs"] > 0][:8]}
        if self.waits_db:
            out["copy_waits"] = dict(sorted(self.waits.items(), key=lambda kv: -kv[1]))
        return out


def summarise_server(s, ok):
    """A sampled variant's server side: CPU of the busiest backends (median over the runs) and
    the COPY backend's wait events (summed over the runs, as shares of the samples)."""
    servers = [r["server"] for r in ok if r.get("server")]
    s["median_server_cpu_secs"] = statistics.median(x["cpu_secs"] for x in servers)
    by_role = {}
    for x in servers:
        for p in x["procs"][:2]:
            role = ("destination backend" if f" {DST_DB} " in p["title"] else
                    "source backend" if f" {SRC_DB} " in p["title"] else p["title"][:40])
            by_role.setdefault(role, []).append(p["cpu_secs"])
    s["server_cpu_secs_by_process"] = {k: statistics.median(v) for k, v in by_role.items()}
    waits = {}
    for x in servers:
        for k, n in x.get("copy_waits", {}).items():
            waits[k] = waits.get(k, 0) + n
    total = sum(waits.values())
    if total:
        s["copy_backend_waits"] = {k: round(n / total, 3) for k, n in
                                   sorted(waits.items(), key=lambda kv: -kv[1])}
        s["copy_backend_wait_samples"] = total


def render_server_profiles(rows):
    out = []
    for s in rows:
        if "median_server_cpu_secs" not in s:
            continue
        procs = ", ".join(f"{k} {v:.2f} s" for k, v in s["server_cpu_secs_by_process"].items())
        waits = ", ".join(f"{k} {v * 100:.0f}%" for k, v in s.get("copy_backend_waits", {}).items())
        out.append(f"  {s['workload']}/{s['variant']}: client CPU {s['median_cpu_secs']:.2f} s, "
                   f"server CPU {s['median_server_cpu_secs']:.2f} s ({procs})")
        if waits:
            out.append(f"    COPY FROM backend, {s['copy_backend_wait_samples']} samples: {waits}")
    return out


# --------------------------------------------------------------------------------------------
# Variants


class Variant:
    """One measured command. kind: 'baseline' or 'rapidbyte'. `workload` groups a baseline with
    the variants it is compared to."""

    def __init__(self, suite, workload, name, kind, rows, payload_bytes, prepare, command,
                 verify, note="", env=None, sample_server=False):
        self.suite, self.workload, self.name, self.kind = suite, workload, name, kind
        self.rows, self.payload_bytes = rows, payload_bytes
        # prepare() may return a dict, kept in the run as "prepare" (untimed set-up figures).
        self.prepare, self.command, self.verify = prepare, command, verify
        self.note = note
        # env(run_dir): the command's environment (default: a fresh HOME for rapidbyte).
        self.env = env
        # Sample the PostgreSQL server's processes (CPU, memory) while the command runs.
        self.sample_server = sample_server
        self.runs = []

    @property
    def id(self):
        return f"{self.suite}:{self.workload}/{self.name}"


class Bench:
    def __init__(self, args):
        self.args = args
        self.rapidbyte = os.path.abspath(args.rapidbyte)
        self.work = args.workdir or tempfile.mkdtemp(prefix="rb-bench-")
        os.makedirs(self.work, exist_ok=True)
        self.pg = {"host": os.environ.get("PGHOST", "127.0.0.1"),
                   "port": os.environ.get("PGPORT", "5432"),
                   "user": os.environ.get("PGUSER", "postgres")}
        self.tables = {}  # name -> {rows, hash, copy_bytes, table_bytes}
        self.run_counter = 0
        self.variants = []
        self.results = {"targets": []}
        self.cdc = None  # CdcSuite when the cdc suite runs

    # ---- setup ---------------------------------------------------------------------------

    def setup_databases(self):
        for db in (SRC_DB, DST_DB):
            if psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'") != "1":
                psql("postgres", f"CREATE DATABASE {db}")
        # Fewer forced checkpoints while loading (both tools see the same server settings).
        psql("postgres", "ALTER SYSTEM SET max_wal_size = '4GB'")
        psql("postgres", "SELECT pg_reload_conf()")

    def seed(self, table, sql_file, rows):
        t0 = time.monotonic()
        psql(SRC_DB, None, {"table": table, "rows": rows},
             file=os.path.join(HERE, "sql", sql_file))
        info = {
            "rows": rows,
            "seed_secs": round(time.monotonic() - t0, 2),
            "table_bytes": int(psql(SRC_DB, f"SELECT pg_table_size('public.{table}')")),
            "copy_bytes": copy_stream_bytes(SRC_DB, f"SELECT * FROM public.{table}"),
            "hash": content_hash(SRC_DB, f"public.{table}"),
        }
        self.tables[table] = info
        log(f"seeded {table}: {rows:,} rows, {info['table_bytes'] / MIB:.1f} MiB on disk, "
            f"{info['copy_bytes'] / MIB:.1f} MiB as binary COPY, {info['seed_secs']} s")

    def seed_gen_reference(self, rows):
        """Reference for test-gen's rows (id, 'row-<id>', id * 0.5) and the baseline's input."""
        psql(SRC_DB, "DROP TABLE IF EXISTS gen; CREATE TABLE gen " + DEST_DDL["gen"] + "; "
             f"INSERT INTO gen SELECT g, 'row-' || g, g * 0.5 FROM generate_series(1, {rows}) g")
        path = os.path.join(self.work, "gen.copybin")
        with open(path, "wb") as f:
            subprocess.run(["psql", "-X", "-q", "-d", SRC_DB, "-c",
                            "COPY gen TO STDOUT (FORMAT binary)"], stdout=f, check=True)
        self.tables["gen"] = {"rows": rows, "hash": content_hash(SRC_DB, "public.gen"),
                              "copy_bytes": os.path.getsize(path), "file": path}
        psql(SRC_DB, "DROP TABLE gen")

    # ---- pipelines ----------------------------------------------------------------------

    def pipeline(self, template, name, streams, **kw):
        with open(os.path.join(HERE, "templates", template), encoding="utf-8") as f:
            text = f.read()
        values = {"PIPELINE": name, "PG_HOST": self.pg["host"], "PG_PORT": self.pg["port"],
                  "PG_USER": self.pg["user"], "SRC_DB": SRC_DB, "DST_DB": DST_DB,
                  "DST_SCHEMA": DST_SCHEMA, "LOAD_METHOD": "copy", "COMPRESSION": "null",
                  "PARALLELISM": "1", "MAX_INFLIGHT_BATCHES": "4", "ROWS": "0", "BATCH_ROWS": "10000",
                  "STREAMS": "[" + ", ".join("{name: %s}" % s for s in streams) + "]"}
        values.update({k.upper(): str(v) for k, v in kw.items()})
        for k, v in values.items():
            text = text.replace("{{%s}}" % k, v)
        leftover = re.findall(r"\{\{[A-Z_]+\}\}", text)
        if leftover:
            raise RuntimeError(f"{template}: unfilled placeholders {leftover}")
        path = os.path.join(self.work, "pipelines", name + ".yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def rb_env(self, run_dir):
        env = dict(os.environ)
        home = os.path.join(run_dir, "home")  # fresh HOME: fresh SQLite state per run
        os.makedirs(home, exist_ok=True)
        env["HOME"] = home
        env.pop("RAPIDBYTE_LOG_LEVEL", None)
        return env

    # ---- variant builders ---------------------------------------------------------------

    def pg_verify(self, tables):
        def verify(run):
            problems = []
            for t in tables:
                got = content_hash(DST_DB, f"{DST_SCHEMA}.{t}")
                want = self.tables[t]["hash"]
                if got != want:
                    problems.append(f"{DST_SCHEMA}.{t}: count:hash {got} != source {want}")
            return problems
        return verify

    def baseline_prepare(self, tables, ddl=None):
        """Drop the destination schema and create `tables` (ddl: a DEST_DDL key for them all)."""
        def prepare():
            reset_dest()
            psql(DST_DB, f"CREATE SCHEMA {DST_SCHEMA}; " + " ".join(
                f"CREATE TABLE {DST_SCHEMA}.{t} {DEST_DDL[ddl or t]};" for t in tables))
            checkpoint()
        return prepare

    def rb_prepare(self):
        reset_dest()
        checkpoint()

    def add_rb(self, suite, workload, name, template, streams, nrows, payload, verify,
               prepare=None, **kw):
        path = self.pipeline(template, f"bench_{suite}_{workload}_{name}", streams, **kw)
        argv = [self.rapidbyte, "run", path, "--no-progress", "--bench-json"]
        self.variants.append(Variant(suite, workload, name, "rapidbyte", nrows, payload,
                                     prepare or self.rb_prepare, lambda argv=argv: (argv, None),
                                     verify, note=os.path.basename(path)))

    def pipe_cmd(self, t):
        return (f"psql -X -q -d {SRC_DB} -c 'COPY public.{t} TO STDOUT (FORMAT binary)' | "
                f"psql -X -q -d {DST_DB} -c 'COPY {DST_SCHEMA}.{t} FROM STDIN (FORMAT binary)'")

    def add_e2e(self):
        a = self.args
        for wl in ("events", "bench_events"):
            if not self.workload_selected(wl):
                continue
            info = self.tables[wl]
            verify = self.pg_verify([wl])
            script = "set -o pipefail; " + self.pipe_cmd(wl)
            self.variants.append(Variant(
                "e2e", wl, "baseline", "baseline", info["rows"], info["copy_bytes"],
                self.baseline_prepare([wl]), lambda s=script: (["bash", "-c", s], None), verify,
                note="psql COPY binary | psql COPY FROM STDIN binary"))
            for name, lm, comp in (("copy", "copy", "null"), ("copy_lz4", "copy", "lz4"),
                                   ("copy_zstd", "copy", "zstd"), ("insert", "insert", "null")):
                if self.variant_selected(wl, name):
                    self.add_rb("e2e", wl, name, "pg_to_pg.yaml", [wl], info["rows"],
                                info["copy_bytes"], verify, load_method=lm, compression=comp)
        wl = "events_keyed"
        if self.workload_selected(wl) and self.variant_selected(wl, "copy"):
            # Both sides load `events` into a table created beforehand with its primary key.
            info = self.tables["events"]
            verify = self.pg_verify(["events"])
            prepare = self.baseline_prepare(["events"], ddl="events_keyed")
            self.variants.append(Variant(
                "e2e", wl, "baseline", "baseline", info["rows"], info["copy_bytes"], prepare,
                lambda s="set -o pipefail; " + self.pipe_cmd("events"): (["bash", "-c", s], None),
                verify, note="psql COPY binary | psql COPY FROM STDIN binary, keyed table",
                sample_server=True))
            self.add_rb("e2e", wl, "copy", "pg_to_pg.yaml", ["events"], info["rows"],
                        info["copy_bytes"], verify, prepare=prepare)
            self.variants[-1].sample_server = True
        wl = "both"
        if self.workload_selected(wl) and (self.variant_selected(wl, "copy_p1")
                                           or self.variant_selected(wl, "copy_p2")):
            tables = ["events", "bench_events"]
            rows = sum(self.tables[t]["rows"] for t in tables)
            payload = sum(self.tables[t]["copy_bytes"] for t in tables)
            verify = self.pg_verify(tables)
            # The two pipes run concurrently: the psql analogue of parallelism 2.
            script = ("set -o pipefail; (" + self.pipe_cmd(tables[0]) + ") & a=$!; (" +
                      self.pipe_cmd(tables[1]) + ") & b=$!; wait $a && wait $b")
            self.variants.append(Variant(
                "e2e", wl, "baseline", "baseline", rows, payload, self.baseline_prepare(tables),
                lambda s=script: (["bash", "-c", s], None), verify,
                note="two psql COPY pipes, concurrently"))
            for p in (1, 2):
                if self.variant_selected(wl, f"copy_p{p}"):
                    self.add_rb("e2e", wl, f"copy_p{p}", "pg_to_pg.yaml", tables, rows, payload,
                                verify, parallelism=p)

    def add_source(self):
        info = self.tables["events"]
        script = (f"psql -X -q -d {SRC_DB} -c "
                  "'COPY (SELECT * FROM public.events) TO STDOUT (FORMAT binary)' > /dev/null")
        self.variants.append(Variant(
            "source", "events", "baseline", "baseline", info["rows"], info["copy_bytes"],
            lambda: None, lambda: (["bash", "-c", script], None), lambda run: [],
            note="psql COPY (SELECT * FROM events) TO STDOUT (FORMAT binary) > /dev/null"))

        def verify(run):
            j = run.get("bench") or {}
            if j.get("records_written") != info["rows"] or j.get("records_read") != info["rows"]:
                return [f"test-sink got {j.get('records_written')} rows, want {info['rows']}"]
            return []
        self.add_rb("source", "events", "to_test_sink", "pg_to_sink.yaml", ["events"],
                    info["rows"], info["copy_bytes"], verify)

    def add_dest(self):
        info = self.tables["gen"]
        verify = self.pg_verify(["gen"])
        self.variants.append(Variant(
            "dest", "gen", "baseline", "baseline", info["rows"], info["copy_bytes"],
            self.baseline_prepare(["gen"]),
            lambda: (["psql", "-X", "-q", "-d", DST_DB, "-c",
                      f"COPY {DST_SCHEMA}.gen FROM STDIN (FORMAT binary)"], info["file"]),
            verify, note="psql COPY gen FROM STDIN (FORMAT binary) < file"))
        self.add_rb("dest", "gen", "from_test_gen", "gen_to_pg.yaml", ["gen"], info["rows"],
                    info["copy_bytes"], verify, rows=info["rows"],
                    batch_rows=self.args.dest_batch_rows)

    def add_engine(self):
        for rows in self.args.engine_rows:
            def verify(run, rows=rows):
                j = run.get("bench") or {}
                if j.get("records_written") != rows:
                    return [f"test-sink committed {j.get('records_written')} rows, want {rows}"]
                return []
            self.add_rb("engine", f"gen_{rows}", "to_test_sink", "gen_to_sink.yaml", ["gen"],
                        rows, 0, verify, rows=rows, batch_rows=10000)

    def add_scale(self):
        # Each table twice: default settings, and with a one-frame channel. With the default
        # (4 frames) the peak includes however many frames were queued, which depends on which
        # side was slower in that run (up to 4 x max_batch_bytes), not on the row count; the
        # one-frame pair shows the row count alone.
        for name, inflight in (("copy", 4), ("copy_q1", 1)):
            for t in ("events", "events_scale"):
                info = self.tables[t]
                self.add_rb("scale", t, name, "pg_to_pg.yaml", [t], info["rows"],
                            info["copy_bytes"], self.pg_verify([t]),
                            max_inflight_batches=inflight)

    def duckdb(self, sql):
        """Rows of `sql` from DuckDB (tests/interop's pinned @duckdb/node-api), as text."""
        interop = os.path.join(self.args.repo, "tests", "interop")
        out = subprocess.run(["node", "duckdb_query.mjs", sql], cwd=interop, check=True,
                             capture_output=True, text=True).stdout
        return json.loads(out)

    def add_files(self):
        info = self.tables["events"]
        lake = os.path.join(self.work, "lake")
        dump = os.path.join(self.work, "events.copybin")
        want = psql(SRC_DB, "SELECT count(*) || '|' || count(DISTINCT id) || '|' || sum(small) "
                    "|| '|' || sum(amount) FROM public.events")

        def dump_prepare():
            if os.path.exists(dump):
                os.remove(dump)

        def dump_verify(run):
            size = os.path.getsize(dump)
            return [] if size > 0 else [f"{dump} is empty"]

        self.variants.append(Variant(
            "files", "events", "baseline", "baseline", info["rows"], info["copy_bytes"],
            dump_prepare, lambda: (["bash", "-c", f"psql -X -q -d {SRC_DB} -c 'COPY "
                                    f"public.events TO STDOUT (FORMAT binary)' > {dump}"], None),
            dump_verify, note="psql COPY events TO STDOUT (FORMAT binary) > file"))

        def lake_prepare():
            subprocess.run(["rm", "-rf", lake], check=True)

        def lake_verify(run):
            files = os.path.join(lake, "public.events", "*.parquet")
            got = self.duckdb("SELECT count(*) || '|' || count(DISTINCT id) || '|' || sum(small) "
                              f"|| '|' || sum(amount) FROM read_parquet('{files}')")[0][0]
            run["parquet_bytes"] = sum(
                os.path.getsize(os.path.join(lake, "public.events", f))
                for f in os.listdir(os.path.join(lake, "public.events")) if f.endswith(".parquet"))
            return [] if got == want else [f"DuckDB read {got}, source has {want}"]

        self.add_rb("files", "events", "parquet_zstd", "pg_to_files.yaml", ["events"],
                    info["rows"], info["copy_bytes"], lake_verify, prepare=lake_prepare,
                    lake=lake, format="parquet", file_compression="zstd")
        self.files_reference = self.duckdb_parquet_size()

    def duckdb_parquet_size(self):
        """What DuckDB writes for the same rows with zstd: events exported as CSV, read by
        DuckDB, COPY ... TO parquet (the size reference of issue #19)."""
        csv = os.path.join(self.work, "events.csv")
        out = os.path.join(self.work, "duckdb_events.parquet")
        with open(csv, "wb") as f:
            subprocess.run(["psql", "-X", "-q", "-d", SRC_DB, "-c",
                            "COPY public.events TO STDOUT (FORMAT csv, HEADER)"], stdout=f,
                           check=True)
        self.duckdb(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{out}' "
                    "(FORMAT parquet, COMPRESSION zstd)")
        size = os.path.getsize(out)
        os.remove(csv)
        log(f"DuckDB's zstd Parquet of events: {size / MIB:.1f} MiB")
        return size

    def workload_selected(self, wl):
        return not self.args.workloads or wl in self.args.workloads

    def variant_selected(self, wl, name):
        v = self.args.variants
        return not v or name in v or f"{wl}/{name}" in v

    # ---- running ------------------------------------------------------------------------

    def run_one(self, v, round_no):
        self.run_counter += 1
        run_dir = os.path.join(self.work, "runs", f"{self.run_counter:03d}_{v.suite}_"
                               f"{v.workload}_{v.name}")
        try:
            prepared = v.prepare()
        except RuntimeError as e:
            run = {"round": round_no, "loadavg": loadavg(), "dir": run_dir, "verified": False,
                   "wall_secs": None, "status": f"FAILED (prepare: {e})"}
            v.runs.append(run)
            log(f"round {round_no} {v.id}: {run['status']}")
            return
        argv, stdin_path = v.command()
        if v.env:
            env = v.env(run_dir)
        else:
            env = self.rb_env(run_dir) if v.kind == "rapidbyte" else None
        la = loadavg()
        sampler = None
        if v.sample_server:
            sampler = ServerSampler(waits_db=DST_DB if v.suite == "e2e" else None)
        if sampler:
            sampler.start()
        try:
            m = run_measured(argv, run_dir, env=env, stdin_path=stdin_path)
        finally:
            if sampler:
                sampler.stop()
        run = {"round": round_no, "loadavg": la, **{k: m[k] for k in (
            "wall_secs", "cpu_secs", "user_secs", "sys_secs", "maxrss_bytes", "exit_code")}}
        run["dir"] = run_dir
        if isinstance(prepared, dict):
            run["prepare"] = prepared
        if sampler:
            run["server"] = sampler.summary()
        status = "ok"
        if v.kind == "rapidbyte":
            run["bench"] = bench_json(m["stdout"])
            if run["bench"] is None:
                status = "FAILED (no JSON output)"
        if m["exit_code"] != 0 and status == "ok":
            status = f"FAILED (exit {m['exit_code']})"
        if status == "ok":
            problems = v.verify(run)
            run["verified"] = not problems
            if problems:
                status = "FAILED verification: " + "; ".join(problems)
        else:
            run["verified"] = False
            run["stderr_tail"] = tail(m["stderr"])
        run["status"] = status
        v.runs.append(run)
        extra = ""
        if run.get("bench"):
            extra = f", duration_secs {run['bench'].get('duration_secs', 0):.2f}"
        log(f"round {round_no} {v.id}: {status}, wall {m['wall_secs']:.2f} s, cpu "
            f"{m['cpu_secs']:.2f} s, max RSS {(m['maxrss_bytes'] or 0) / MIB:.1f} MiB{extra}, "
            f"load {la[0] if la else '?'}")
        if status != "ok" and run.get("stderr_tail"):
            log("stderr tail:\n" + run["stderr_tail"])

    def run_check(self):
        path = self.pipeline("pg_to_pg.yaml", "bench_check_events", ["events"])
        walls = []
        statuses = []
        for i in range(self.args.check_runs):
            run_dir = os.path.join(self.work, "runs", f"check_{i:02d}")
            m = run_measured([self.rapidbyte, "check", path], run_dir, env=self.rb_env(run_dir))
            walls.append(m["wall_secs"])
            statuses.append(m["exit_code"])
            if m["exit_code"] != 0:
                log(f"check exited {m['exit_code']}:\n{tail(m['stdout'])}{tail(m['stderr'])}")
        self.results["check"] = {
            "runs": len(walls), "wall_secs": walls, "median_secs": statistics.median(walls),
            "min_secs": min(walls), "exit_codes": statuses, "loadavg": loadavg(),
            "pipeline": path}
        log(f"check: median {statistics.median(walls) * 1000:.1f} ms, "
            f"min {min(walls) * 1000:.1f} ms over {len(walls)} runs, exit codes {set(statuses)}")

    def run_all(self):
        rounds = self.args.runs
        for r in range(1, rounds + 1):
            for v in self.variants:
                self.run_one(v, r)

    # ---- summarising --------------------------------------------------------------------

    def summarise(self):
        baselines = {(v.suite, v.workload): v for v in self.variants if v.kind == "baseline"}
        out = []
        for v in self.variants:
            ok = [r for r in v.runs if r["status"] == "ok"]
            s = {"id": v.id, "suite": v.suite, "workload": v.workload, "variant": v.name,
                 "kind": v.kind, "rows": v.rows, "payload_bytes": v.payload_bytes,
                 "note": v.note, "runs": len(v.runs), "ok_runs": len(ok)}
            if ok:
                wall = statistics.median(r["wall_secs"] for r in ok)
                s["median_wall_secs"] = wall
                s["min_wall_secs"] = min(r["wall_secs"] for r in ok)
                s["rows_per_sec"] = v.rows / wall if wall > 0 else None
                s["mib_per_sec"] = v.payload_bytes / MIB / wall if v.payload_bytes else None
                s["median_cpu_secs"] = statistics.median(r["cpu_secs"] for r in ok)
                rss = [r["maxrss_bytes"] for r in ok if r["maxrss_bytes"]]
                s["peak_rss_bytes_max"] = max(rss) if rss else None
                s["peak_rss_bytes_median"] = statistics.median(rss) if rss else None
                benches = [r["bench"] for r in ok if r.get("bench")]
                if benches:
                    s["phases_avg"] = {k: statistics.mean(float(b.get(k) or 0) for b in benches)
                                       for k, _ in PHASE_ROWS}
                    comp = [b for b in benches if b.get("compressed_bytes")]
                    if comp:
                        s["compression_ratio"] = statistics.mean(
                            b["compressed_bytes"] / b["uncompressed_bytes"] for b in comp)
                        s["compression"] = comp[0].get("compression")
                    s["median_duration_secs"] = statistics.median(
                        b["duration_secs"] for b in benches)
                    if v.rows:
                        s["us_per_row_wall"] = wall / v.rows * 1e6
                        s["us_per_row_cpu"] = s["median_cpu_secs"] / v.rows * 1e6
                base = baselines.get((v.suite, v.workload))
                if base is not None and base is not v:
                    bok = [r for r in base.runs if r["status"] == "ok"]
                    if bok:
                        bwall = statistics.median(r["wall_secs"] for r in bok)
                        # > 1: faster than the baseline (throughput ratio).
                        s["throughput_vs_baseline"] = bwall / wall
                        s["wall_vs_baseline"] = wall / bwall
            sizes = [r["parquet_bytes"] for r in ok if r.get("parquet_bytes")]
            if sizes:
                s["parquet_bytes"] = statistics.median(sizes)
            s["failures"] = [r["status"] for r in v.runs if r["status"] != "ok"]
            if v.suite == "cdc":
                summarise_cdc(v, s, ok)
            elif any(r.get("server") for r in ok):
                summarise_server(s, ok)
            out.append(s)
        self.results["variants"] = out
        self.evaluate_targets({s["id"]: s for s in out})

    def evaluate_targets(self, by_id):
        targets = []

        def add(name, value, limit, met, detail=""):
            targets.append({"target": name, "value": value, "limit": limit,
                            "met": met, "detail": detail})

        # The pipe comparisons: keyless tables on both sides, and (issue #21) tables that
        # already have their primary key.
        for vid, speed, memory in (
                ("e2e:events/copy", "events copy throughput >= 0.95x baseline (stretch > 1.0x)",
                 "events copy peak RSS <= 64 MiB (default settings)"),
                ("e2e:events_keyed/copy", "events append into the keyed table >= 0.95x the "
                 "keyed pipe", "events keyed append peak RSS <= 64 MiB")):
            s = by_id.get(vid)
            if s and "throughput_vs_baseline" in s:
                x = s["throughput_vs_baseline"]
                add(speed, round(x, 3), 0.95, x >= 0.95, f"{x:.2f}x")
            if s and s.get("peak_rss_bytes_max"):
                rss = s["peak_rss_bytes_max"] / MIB
                add(memory, round(rss, 1), 64, rss <= 64, f"{rss:.1f} MiB")
        for name, label in (("copy", "default settings"),
                            ("copy_q1", "max_inflight_batches 1")):
            a, b = by_id.get(f"scale:events/{name}"), by_id.get(f"scale:events_scale/{name}")
            if a and b and a.get("peak_rss_bytes_max") and b.get("peak_rss_bytes_max"):
                r = b["peak_rss_bytes_max"] / a["peak_rss_bytes_max"]
                add(f"peak RSS flat {a['rows']:,} -> {b['rows']:,} rows, {label} (within 20%)",
                    round(r, 3), 1.2, r <= 1.2, f"{a['peak_rss_bytes_max'] / MIB:.1f} -> "
                    f"{b['peak_rss_bytes_max'] / MIB:.1f} MiB")
        s = by_id.get(f"cdc:{CDC_TABLE}/rapidbyte")
        if s and "wall_vs_baseline" in s:
            x = s["wall_vs_baseline"]
            add("cdc catch-up time <= native logical replication", round(x, 3), 1.0, x <= 1.0,
                f"{s['median_wall_secs']:.2f} s vs {s['median_wall_secs'] * (1 / x):.2f} s, "
                f"{x:.2f}x")
        if s and s.get("peak_rss_bytes_max"):
            rss = s["peak_rss_bytes_max"] / MIB
            add("cdc catch-up peak RSS <= 64 MiB", round(rss, 1), 64, rss <= 64,
                f"{rss:.1f} MiB")
        s = by_id.get("files:events/parquet_zstd")
        if s and "throughput_vs_baseline" in s:
            x = s["throughput_vs_baseline"]
            add("events -> Parquet zstd >= 0.8x the raw binary dump", round(x, 3), 0.8,
                x >= 0.8, f"{x:.2f}x")
        if s and s.get("peak_rss_bytes_max"):
            rss = s["peak_rss_bytes_max"] / MIB
            add(f"events -> Parquet peak RSS <= 96 MiB ({s['rows']:,} rows)", round(rss, 1), 96,
                rss <= 96, f"{rss:.1f} MiB")
        ref = self.results.get("files_duckdb_parquet_bytes")
        if s and ref and s.get("parquet_bytes"):
            r = s["parquet_bytes"] / ref
            add("Parquet output <= 1.1x DuckDB's zstd Parquet of the same rows", round(r, 3),
                1.1, r <= 1.1, f"{s['parquet_bytes'] / MIB:.1f} vs {ref / MIB:.1f} MiB")
        c = self.results.get("check")
        if c:
            add("rapidbyte check (two connectors) <= 30 ms", round(c["median_secs"] * 1000, 1),
                30, c["median_secs"] <= 0.030, f"median {c['median_secs'] * 1000:.1f} ms")
        s = by_id.get("source:events/to_test_sink")
        if s and s.get("rows_per_sec"):
            add("source-only >= 600k rows/s", round(s["rows_per_sec"]), 600000,
                s["rows_per_sec"] >= 600000)
            if "wall_vs_baseline" in s:
                add("source-only wall <= 1.3x psql COPY TO /dev/null",
                    round(s["wall_vs_baseline"], 3), 1.3, s["wall_vs_baseline"] <= 1.3)
        s = by_id.get("dest:gen/from_test_gen")
        if s and "wall_vs_baseline" in s:
            add("destination-only wall <= 1.15x psql COPY FROM file",
                round(s["wall_vs_baseline"], 3), 1.15, s["wall_vs_baseline"] <= 1.15)
        eng = sorted((v for v in by_id.values() if v["suite"] == "engine" and
                      v.get("median_wall_secs")), key=lambda v: v["rows"])
        for v in eng:
            if v["rows"] < 1_000_000:
                continue  # fixed costs (process start, loads) dominate below 1M rows
            add(f"engine overhead <= 1 us/row ({v['rows']:,} rows, wall)",
                round(v["us_per_row_wall"], 3), 1.0, v["us_per_row_wall"] <= 1.0,
                f"cpu {v['us_per_row_cpu']:.3f} us/row")
        if len(eng) >= 2 and eng[-1]["rows"] > eng[0]["rows"]:
            d_rows = eng[-1]["rows"] - eng[0]["rows"]
            marginal = (eng[-1]["median_wall_secs"] - eng[0]["median_wall_secs"]) / d_rows * 1e6
            marginal_cpu = (eng[-1]["median_cpu_secs"] - eng[0]["median_cpu_secs"]) / d_rows * 1e6
            self.results["engine_marginal_us_per_row"] = {"wall": marginal, "cpu": marginal_cpu}
            add(f"engine overhead <= 1 us/row (marginal, {eng[0]['rows']:,} -> "
                f"{eng[-1]['rows']:,} rows, wall)", round(marginal, 3), 1.0, marginal <= 1.0,
                f"cpu {marginal_cpu:.3f} us/row")
        if len(eng) >= 2 and eng[0].get("peak_rss_bytes_max") and eng[-1].get(
                "peak_rss_bytes_max"):
            r = eng[-1]["peak_rss_bytes_max"] / eng[0]["peak_rss_bytes_max"]
            add(f"engine peak RSS flat {eng[0]['rows']:,} -> {eng[-1]['rows']:,} rows "
                "(within 20%)", round(r, 3), 1.2, r <= 1.2,
                f"{eng[0]['peak_rss_bytes_max'] / MIB:.1f} -> "
                f"{eng[-1]['peak_rss_bytes_max'] / MIB:.1f} MiB")
        self.results["targets"] = targets

    def print_report(self):
        out = []
        meta = self.results["meta"]
        out.append("")
        out.append(f"rapidbyte end-to-end benchmark  ({meta['date']}, {meta['rapidbyte_version']})")
        out.append(f"  machine: {meta['cpus']} CPUs, {meta['cpu_model']}; PostgreSQL "
                   f"{meta['postgres_version']} (one server, databases {SRC_DB} -> {DST_DB})")
        out.append(f"  load average at start {fmt_la(meta['loadavg_start'])}, end "
                   f"{fmt_la(meta.get('loadavg_end'))}; {self.args.runs} run(s) per variant, "
                   "alternating")
        for t, info in self.tables.items():
            if "table_bytes" in info:
                out.append(f"  {t}: {info['rows']:,} rows, {info['table_bytes'] / MIB:.1f} MiB "
                           f"on disk, {info['copy_bytes'] / MIB:.1f} MiB binary COPY")
        variants = self.results["variants"]
        for suite in ("e2e", "source", "dest", "engine", "scale", "files"):
            rows = [s for s in variants if s["suite"] == suite]
            if not rows:
                continue
            out.append("")
            out.append(f"== {SUITE_TITLES[suite]}")
            out.append(render_main_table(rows))
            profiles = render_server_profiles(rows)
            if profiles:
                out.append("")
                out.append("   server side (CPU medians; the COPY FROM backend's wait events, "
                           "sampled every 10 ms):")
                out += profiles
            rb = [s for s in rows if s.get("phases_avg")]
            if rb and suite != "engine":
                out.append("")
                out.append("   phase averages (@@BENCH_JSON@@):")
                out.append(render_phase_table(rb))
        cdc = [s for s in variants if s["suite"] == "cdc"]
        if cdc:
            out.append("")
            out.append(f"== {SUITE_TITLES['cdc']}")
            out += render_cdc(cdc, self.tables.get(CDC_TABLE, {}))
        c = self.results.get("check")
        if c:
            out.append("")
            out.append(f"== rapidbyte check (events pipeline, two connectors): median "
                       f"{c['median_secs'] * 1000:.1f} ms, min {c['min_secs'] * 1000:.1f} ms "
                       f"over {c['runs']} runs")
        if self.results["targets"]:
            out.append("")
            out.append("== targets")
            for t in self.results["targets"]:
                mark = "met" if t["met"] else "MISSED"
                detail = f" ({t['detail']})" if t["detail"] else ""
                out.append(f"  [{mark:6}] {t['target']}: {t['value']}{detail}")
        failures = [(s["id"], f) for s in variants for f in s["failures"]]
        if failures:
            out.append("")
            out.append("== failures")
            for vid, f in failures:
                out.append(f"  {vid}: {f}")
        text = "\n".join(out) + "\n"
        print(text)
        return text


# --------------------------------------------------------------------------------------------
# CDC catch-up (issue #17, SPEC §14): rapidbyte's cdc mirror against PostgreSQL's own logical
# replication, on the same change set, alternating, on the one server.

CDC_TABLE = "cdc_events"  # bench_events' definition (sql/bench_events.sql), in bench_src
CDC_RB_DB = "bench_cdc_rb"  # rapidbyte's mirror (schema raw)
CDC_SUB_DB = "bench_cdc_sub"  # the native subscriber (schema public, same DDL as the source)
CDC_NATIVE = "bench_cdc_native"  # the baseline's publication, slot and subscription
CDC_COLUMNS = "id, event_type, user_id, amount, is_active, payload, created_at"
# One cycle of ten 1,000-change transactions: 5 insert, 3 update, 2 delete; ends on an insert.
CDC_CYCLE = ("update", "insert", "delete", "insert", "update", "insert", "delete", "insert",
             "update", "insert")
CDC_TXN = 1000


def wait_for(what, cond, timeout, interval=0.2):
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - t0


def cdc_change_script(rows, n):
    """The change set on a table holding ids 1..rows, for n changes (a multiple of 10,000):
    n / 1,000 transactions of 1,000 changes (n/2 inserts, 3n/10 updates, n/5 deletes,
    interleaved) and, half way, one transaction of n/5 changes (n/10 inserts, 3n/50 updates,
    n/25 deletes): 1.2 n changes. Inserts copy rows of cdc_new (the seed's rows past `rows`),
    updates and deletes take ids 1..0.6 n, each id once. Returns (sql, the id the last
    transaction inserts, {kind: count})."""
    ins, upd, dele = rows + 1, 1, 3 * n // 10 + 1  # the next id of each kind

    def stmt(kind, a, b):
        where = f"WHERE id BETWEEN {a} AND {b};"
        if kind == "insert":
            return f"INSERT INTO {CDC_TABLE} SELECT * FROM cdc_new {where}"
        if kind == "update":
            return (f"UPDATE {CDC_TABLE} SET amount = amount + 1, is_active = NOT is_active, "
                    f"payload = 'updated ' || id {where}")
        return f"DELETE FROM {CDC_TABLE} {where}"

    big_ins, big_upd, big_del = rows + n // 2 + 1, n // 2 + 1, n // 2 + 3 * n // 50 + 1
    big = ["BEGIN;", stmt("insert", big_ins, big_ins + n // 10 - 1),
           stmt("update", big_upd, big_upd + 3 * n // 50 - 1),
           stmt("delete", big_del, big_del + n // 25 - 1), "COMMIT;"]
    lines = []
    txns = n // CDC_TXN
    for i in range(txns):
        if i == txns // 2:
            lines += big
        kind = CDC_CYCLE[i % len(CDC_CYCLE)]
        a = {"insert": ins, "update": upd, "delete": dele}[kind]
        lines.append(f"BEGIN; {stmt(kind, a, a + CDC_TXN - 1)} COMMIT;")
        if kind == "insert":
            ins += CDC_TXN
        elif kind == "update":
            upd += CDC_TXN
        else:
            dele += CDC_TXN
    counts = {"inserts": 6 * n // 10, "updates": 9 * n // 25, "deletes": 6 * n // 25}
    return "\n".join(lines) + "\n", ins - 1, counts


class CdcSuite:
    """Each measured run starts from the same source table (cdc_events = cdc_seed, rows ids
    1..rows), brings its target in sync untimed (rapidbyte: a first run takes the snapshot;
    native: CREATE SUBSCRIPTION with copy_data, then DISABLE), commits the change set, then
    times the catch-up (rapidbyte: `rapidbyte run`; native: ENABLE until the row the last
    transaction inserted is visible on the subscriber: transactions apply in commit order).
    Both targets are verified against the source after the snapshot and after the catch-up."""

    def __init__(self, bench):
        self.b = bench
        self.rows, self.n = bench.args.rows, bench.args.cdc_changes
        self.script, self.marker, self.counts = cdc_change_script(self.rows, self.n)
        self.script_path = os.path.join(bench.work, "cdc_changes.sql")
        with open(self.script_path, "w", encoding="utf-8") as f:
            f.write(self.script)
        self.changes = sum(self.counts.values())
        self.env = None  # the current rapidbyte round's environment (its HOME and state)
        self.want = None  # the source's content hash after the change set
        self.round = 0
        self.pipeline = bench.pipeline("pg_cdc_mirror.yaml", "bench_cdc", [],
                                       dst_db=CDC_RB_DB, table=f"public.{CDC_TABLE}")

    # ---- set-up -------------------------------------------------------------------------

    def enable_logical(self):
        """wal_level = logical (and room for slots), then a restart of the throwaway server.
        wal_retrieve_retry_interval: the logical replication launcher starts an apply worker
        at most once per interval (default 5 s), so ENABLE soon after the initial sync would
        time the launcher's pause, not replication."""
        psql("postgres", "ALTER SYSTEM SET wal_retrieve_retry_interval = '100ms'")
        psql("postgres", "SELECT pg_reload_conf()")
        if psql("postgres", "SHOW wal_level") == "logical":
            return
        for k, v in (("wal_level", "logical"), ("max_replication_slots", "16"),
                     ("max_wal_senders", "16")):
            psql("postgres", f"ALTER SYSTEM SET {k} = '{v}'")
        data = os.environ["RB_PG_DATA_DIR"]
        pg_bin = os.environ.get("RB_PG_BIN", "/usr/lib/postgresql/15/bin")
        argv = [os.path.join(pg_bin, "pg_ctl"), "-D", data, "-l",
                os.path.join(os.path.dirname(data), "server.log"), "-m", "fast", "-w", "-t",
                "120", "restart"]
        owner = os.stat(data).st_uid
        if os.geteuid() != owner:  # root: as the server's user, like with-pg.sh
            argv = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--"] + argv
        out = subprocess.run(argv, cwd=os.path.dirname(data), capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed: {out.stdout}{out.stderr}")
        log("server restarted with wal_level = logical")

    def setup(self):
        self.enable_logical()
        for db in (CDC_RB_DB, CDC_SUB_DB):
            if psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'") != "1":
                psql("postgres", f"CREATE DATABASE {db}")
        self.cleanup()
        t0 = time.monotonic()
        psql(SRC_DB, None, {"table": "cdc_seed", "rows": self.rows + 6 * self.n // 10},
             file=os.path.join(HERE, "sql", "bench_events.sql"))
        psql(SRC_DB, "DROP TABLE IF EXISTS cdc_new; "
             f"CREATE TABLE cdc_new AS SELECT * FROM cdc_seed WHERE id > {self.rows}; "
             "ALTER TABLE cdc_new ADD PRIMARY KEY (id); "
             f"DELETE FROM cdc_seed WHERE id > {self.rows}")
        psql(SRC_DB, "VACUUM (FREEZE, ANALYZE) cdc_seed, cdc_new")
        self.seed_hash = content_hash(SRC_DB, self.select("public.cdc_seed"))
        self.b.tables[CDC_TABLE] = {
            "rows": self.rows, "seed_secs": round(time.monotonic() - t0, 2),
            "hash": self.seed_hash, "changes": self.changes, "change_counts": self.counts,
            "changes_arg": self.n, "last_insert_id": self.marker}
        log(f"seeded cdc_seed ({self.rows:,} rows) and cdc_new; change set: "
            f"{self.changes:,} changes {self.counts} in {self.n // CDC_TXN + 1} transactions")

    @staticmethod
    def select(table):
        return f"(SELECT {CDC_COLUMNS} FROM {table})"

    def cleanup(self):
        """Drop what a previous measured run left: the subscription, every replication slot
        (once released), the publications and both targets."""
        for sub in psql(CDC_SUB_DB, "SELECT subname FROM pg_subscription WHERE subdbid = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())"
                        ).split():
            psql(CDC_SUB_DB, f"ALTER SUBSCRIPTION {sub} DISABLE")
            psql(CDC_SUB_DB, f"ALTER SUBSCRIPTION {sub} SET (slot_name = NONE)")
            psql(CDC_SUB_DB, f"DROP SUBSCRIPTION {sub}")
        wait_for("replication slots to be released", lambda: psql(
            "postgres", "SELECT count(*) FROM pg_replication_slots WHERE active") == "0", 120)
        for slot in psql("postgres", "SELECT slot_name FROM pg_replication_slots").split():
            psql("postgres", f"SELECT pg_drop_replication_slot('{slot}')")
        for pub in psql(SRC_DB, "SELECT pubname FROM pg_publication").split():
            psql(SRC_DB, f"DROP PUBLICATION {pub}")
        psql(CDC_RB_DB, f"DROP SCHEMA IF EXISTS {DST_SCHEMA} CASCADE")
        psql(CDC_SUB_DB, f"DROP TABLE IF EXISTS {CDC_TABLE}")

    def reset_source(self):
        psql(SRC_DB, None, {"table": CDC_TABLE, "rows": 0},
             file=os.path.join(HERE, "sql", "bench_events.sql"))
        psql(SRC_DB, f"INSERT INTO {CDC_TABLE} SELECT * FROM cdc_seed")
        psql(SRC_DB, f"VACUUM (FREEZE, ANALYZE) {CDC_TABLE}")

    def expect_same(self, db, table, want, when):
        got = content_hash(db, self.select(table))
        if got != want:
            raise RuntimeError(f"{when}: {db} {table} count:hash {got} != source {want}")

    def commit_changes(self):
        """The change set on the source (untimed), then VACUUM (so autovacuum does not start
        during the catch-up) and a CHECKPOINT; returns its figures."""
        lsn0 = psql(SRC_DB, "SELECT pg_current_wal_lsn()")
        t0 = time.monotonic()
        psql(SRC_DB, None, file=self.script_path)
        secs = time.monotonic() - t0
        wal = int(psql(SRC_DB, f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{lsn0}')"))
        psql(SRC_DB, f"VACUUM (ANALYZE) {CDC_TABLE}")
        self.want = content_hash(SRC_DB, self.select(f"public.{CDC_TABLE}"))
        checkpoint()
        log(f"committed {self.changes:,} changes in {secs:.1f} s ({wal / MIB:.0f} MiB of WAL)")
        return {"changes_commit_secs": round(secs, 2), "changes_wal_bytes": wal}

    # ---- rapidbyte ----------------------------------------------------------------------

    def prepare_rapidbyte(self):
        self.cleanup()
        self.reset_source()
        self.round += 1
        round_dir = os.path.join(self.b.work, "runs", f"cdc_rapidbyte_{self.round}")
        self.env = self.b.rb_env(round_dir)  # the snapshot run and the timed run share HOME
        snap_dir = os.path.join(round_dir, "snapshot")
        m = run_measured([self.b.rapidbyte, "run", self.pipeline, "--no-progress",
                          "--bench-json"], snap_dir, env=self.env)
        if m["exit_code"] != 0:
            raise RuntimeError(f"snapshot run exited {m['exit_code']}: "
                               f"{tail(m['stdout'])}{tail(m['stderr'])}")
        self.expect_same(CDC_RB_DB, f"{DST_SCHEMA}.{CDC_TABLE}", self.seed_hash,
                         "after the snapshot run")
        info = {"snapshot_secs": round(m["wall_secs"], 2),
                "snapshot_maxrss_bytes": m["maxrss_bytes"]}
        log(f"rapidbyte snapshot: {m['wall_secs']:.1f} s, max RSS "
            f"{(m['maxrss_bytes'] or 0) / MIB:.1f} MiB, mirror verified")
        info.update(self.commit_changes())
        return info

    def verify_rapidbyte(self, run):
        problems = []
        try:
            self.expect_same(CDC_RB_DB, f"{DST_SCHEMA}.{CDC_TABLE}", self.want, "mirror")
        except RuntimeError as e:
            problems.append(str(e))
        got = changes_line(run["dir"])
        run["changes"] = got
        want = dict(self.counts, truncates=0)
        if got != want:
            problems.append(f"the run reports changes {got}, want {want}")
        return problems

    # ---- native logical replication ----------------------------------------------------

    def prepare_native(self):
        self.cleanup()
        self.reset_source()
        psql(CDC_SUB_DB, None, {"table": CDC_TABLE, "rows": 0},
             file=os.path.join(HERE, "sql", "bench_events.sql"))
        psql(SRC_DB, f"CREATE PUBLICATION {CDC_NATIVE} FOR TABLE {CDC_TABLE}")
        # Slot first: CREATE SUBSCRIPTION cannot create a slot on its own server (it would wait
        # for its own transaction).
        psql(SRC_DB, f"SELECT pg_create_logical_replication_slot('{CDC_NATIVE}', 'pgoutput')")
        conn = (f"host={self.b.pg['host']} port={self.b.pg['port']} user={self.b.pg['user']} "
                f"dbname={SRC_DB}")
        t0 = time.monotonic()
        psql(CDC_SUB_DB, f"CREATE SUBSCRIPTION {CDC_NATIVE} CONNECTION '{conn}' PUBLICATION "
             f"{CDC_NATIVE} WITH (copy_data = true, create_slot = false, "
             f"slot_name = '{CDC_NATIVE}')")
        wait_for("the initial sync", lambda: psql(
            CDC_SUB_DB, "SELECT count(*) FILTER (WHERE srsubstate <> 'r') || ':' || count(*) "
            "FROM pg_subscription_rel") == "0:1", 3600, 0.1)
        sync = time.monotonic() - t0
        psql(CDC_SUB_DB, f"ALTER SUBSCRIPTION {CDC_NATIVE} DISABLE")
        wait_for("the apply worker to stop", lambda: psql(
            CDC_SUB_DB, "SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL") ==
            "0" and psql("postgres", "SELECT count(*) FROM pg_replication_slots WHERE active "
                         f"OR slot_name <> '{CDC_NATIVE}'") == "0", 120)
        self.expect_same(CDC_SUB_DB, f"public.{CDC_TABLE}", self.seed_hash,
                         "after the initial sync")
        log(f"native initial sync: {sync:.1f} s, subscriber verified")
        info = {"snapshot_secs": round(sync, 2)}
        info.update(self.commit_changes())
        return info

    def native_command(self):
        wait = (f"DO $$ DECLARE deadline timestamptz := clock_timestamp() + interval '2 hours'; "
                f"BEGIN WHILE NOT EXISTS (SELECT 1 FROM public.{CDC_TABLE} WHERE id = "
                f"{self.marker}) LOOP IF clock_timestamp() > deadline THEN RAISE EXCEPTION "
                "'the subscriber did not catch up'; END IF; PERFORM pg_sleep(0.02); END LOOP; "
                "END $$")
        return (["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", CDC_SUB_DB, "-c",
                 f"ALTER SUBSCRIPTION {CDC_NATIVE} ENABLE", "-c", wait], None)

    def verify_native(self, run):
        try:
            self.expect_same(CDC_SUB_DB, f"public.{CDC_TABLE}", self.want, "subscriber")
        except RuntimeError as e:
            return [str(e)]
        return []

    def variants(self):
        common = {"suite": "cdc", "workload": CDC_TABLE, "rows": self.changes,
                  "payload_bytes": 0, "sample_server": True}
        argv = [self.b.rapidbyte, "run", self.pipeline, "--no-progress", "--bench-json"]
        return [
            Variant(name="rapidbyte", kind="rapidbyte", prepare=self.prepare_rapidbyte,
                    command=lambda: (argv, None), verify=self.verify_rapidbyte,
                    env=lambda run_dir: self.env,
                    note="rapidbyte run (catch-up) of a cdc upsert mirror", **common),
            Variant(name="native", kind="baseline", prepare=self.prepare_native,
                    command=self.native_command, verify=self.verify_native,
                    note="ALTER SUBSCRIPTION ENABLE until the last transaction is applied",
                    **common),
        ]


def changes_line(run_dir):
    """The 'Changes:' line of a run's human summary as {inserts, updates, deletes,
    truncates}, or None."""
    try:
        with open(os.path.join(run_dir, "stdout.txt"), encoding="utf-8",
                  errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    m = re.search(r"Changes:\s+\S+: ([\d,]+) inserted, ([\d,]+) updated, ([\d,]+) deleted, "
                  r"([\d,]+) truncated", text)
    if not m:
        return None
    return {k: int(v.replace(",", "")) for k, v in
            zip(("inserts", "updates", "deletes", "truncates"), m.groups())}


SUITE_TITLES = {
    "e2e": "PostgreSQL -> PostgreSQL (baseline: psql binary COPY pipe into an identical table)",
    "source": "source only (source-postgres -> test-sink vs psql COPY TO /dev/null)",
    "dest": "destination only (test-gen -> dest-postgres copy vs psql COPY FROM file; "
            "columns id int8, name text, value float8)",
    "engine": "engine overhead (test-gen -> test-sink, 10k-row frames, no database)",
    "scale": "bounded memory (copy pipeline at two table sizes; default and one-frame channel)",
    "files": "PostgreSQL -> Parquet zstd on local disk (dest-files vs psql binary COPY TO a "
             "file)",
    "cdc": "CDC catch-up (rapidbyte cdc upsert mirror vs PostgreSQL logical replication, "
           "same change set)",
}


def fmt_la(la):
    return "/".join(f"{x:.2f}" for x in la) if la else "?"


def fmt(v, spec, suffix=""):
    return "-" if v is None else format(v, spec) + suffix


def table(headers, rows, align=None):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    align = align or ["<"] + [">"] * (len(headers) - 1)
    lines = ["  " + "  ".join(format(str(h), a + str(w)) for h, a, w in zip(headers, align, widths))]
    lines.append("  " + "  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  " + "  ".join(format(str(c), a + str(w)) for c, a, w in
                                      zip(r, align, widths)))
    return "\n".join(lines)


def render_main_table(rows):
    headers = ["variant", "rows", "median wall", "rows/s", "MB/s", "vs baseline", "CPU s",
               "peak RSS", "compr.", "us/row", "verified"]
    body = []
    for s in rows:
        comp = s.get("compression_ratio")
        body.append([
            f"{s['workload']}/{s['variant']}", f"{s['rows']:,}",
            fmt(s.get("median_wall_secs"), ".2f", " s"),
            fmt(s.get("rows_per_sec"), ",.0f"),
            fmt(s.get("mib_per_sec"), ".1f"),
            "1.00x" if s["kind"] == "baseline" and s.get("median_wall_secs")
            else fmt(s.get("throughput_vs_baseline"), ".2f", "x"),
            fmt(s.get("median_cpu_secs"), ".2f"),
            fmt(s["peak_rss_bytes_max"] / MIB if s.get("peak_rss_bytes_max") else None, ".1f",
                " MiB"),
            f"{comp:.1%} {s.get('compression')}" if comp else "-",
            fmt(s.get("us_per_row_wall"), ".3f"),
            f"{s['ok_runs']}/{s['runs']}" if not s["failures"] else
            f"{s['ok_runs']}/{s['runs']} " + s["failures"][0][:40],
        ])
    return table(headers, body)


def summarise_cdc(v, s, ok):
    """The cdc suite's extras: per-round times, server CPU and memory, the untimed set-up."""
    s["round_walls"] = [r.get("wall_secs") for r in v.runs]
    servers = [r["server"] for r in ok if r.get("server")]
    if servers:
        s["median_server_cpu_secs"] = statistics.median(x["cpu_secs"] for x in servers)
        s["median_total_cpu_secs"] = statistics.median(
            r["cpu_secs"] + r["server"]["cpu_secs"] for r in ok if r.get("server"))
        s["server_hwm_bytes_max"] = max((p["hwm_bytes"] for x in servers for p in x["procs"]),
                                        default=None)
    preps = [r["prepare"] for r in v.runs if r.get("prepare")]
    for key in ("snapshot_secs", "changes_commit_secs", "changes_wal_bytes"):
        vals = [p[key] for p in preps if p.get(key) is not None]
        if vals:
            s["median_" + key] = statistics.median(vals)
    rss = [p["snapshot_maxrss_bytes"] for p in preps if p.get("snapshot_maxrss_bytes")]
    if rss:
        s["snapshot_maxrss_bytes_max"] = max(rss)
    if v.kind == "baseline":
        # /usr/bin/time measured psql, which only waits: the work is the server's.
        s["client_maxrss_bytes_max"] = s.pop("peak_rss_bytes_max", None)
        s.pop("peak_rss_bytes_median", None)
    s["changes_reported"] = [r.get("changes") for r in ok if "changes" in r]


def render_cdc(rows, info):
    out = []
    counts = info.get("change_counts", {})
    out.append(f"  source table {CDC_TABLE} (bench_events' columns and primary key): "
               f"{info.get('rows', 0):,} rows; change set per measured run: "
               f"{info.get('changes', 0):,} changes ({counts.get('inserts', 0):,} inserts, "
               f"{counts.get('updates', 0):,} updates, {counts.get('deletes', 0):,} deletes) in "
               f"{info.get('changes_arg', 0) // CDC_TXN:,} transactions of {CDC_TXN:,} and one "
               f"of {info.get('changes_arg', 0) // 5:,}")
    headers = ["variant", "median catch-up", "changes/s", "vs native (time)", "CPU s",
               "server CPU s", "peak RSS", "server peak", "verified"]
    body = []
    for s in rows:
        body.append([
            s["variant"], fmt(s.get("median_wall_secs"), ".2f", " s"),
            fmt(s.get("rows_per_sec"), ",.0f"),
            "1.00x" if s["kind"] == "baseline" and s.get("median_wall_secs")
            else fmt(s.get("wall_vs_baseline"), ".2f", "x"),
            fmt(s.get("median_cpu_secs"), ".2f"), fmt(s.get("median_server_cpu_secs"), ".2f"),
            fmt(s["peak_rss_bytes_max"] / MIB if s.get("peak_rss_bytes_max") else None, ".1f",
                " MiB"),
            fmt(s["server_hwm_bytes_max"] / MIB if s.get("server_hwm_bytes_max") else None,
                ".1f", " MiB"),
            f"{s['ok_runs']}/{s['runs']}" if not s["failures"] else
            f"{s['ok_runs']}/{s['runs']} " + s["failures"][0][:60],
        ])
    out.append(table(headers, body))
    out.append("  CPU s: the measured command (rapidbyte; for native psql, which only waits); "
               "server CPU s: every process of the PostgreSQL server over the window; server "
               "peak: the largest VmHWM of a server process (includes shared buffers touched)")
    for s in rows:
        walls = ", ".join(fmt(w, ".2f") for w in s.get("round_walls", []))
        setup = "snapshot run" if s["kind"] == "rapidbyte" else "initial sync"
        rss = s.get("snapshot_maxrss_bytes_max")
        rss = f" (peak RSS {rss / MIB:.1f} MiB)" if rss else ""
        commit = fmt(s.get("median_changes_commit_secs"), ".1f", " s")
        wal = fmt((s.get("median_changes_wal_bytes") or 0) / MIB, ".0f")
        out.append(f"  {s['variant']}: per round {walls} s; untimed set-up (medians): {setup} "
                   f"{fmt(s.get('median_snapshot_secs'), '.1f', ' s')}{rss}, committing the "
                   f"changes {commit} ({wal} MiB of WAL)")
        if s.get("changes_reported"):
            out.append(f"  rapidbyte reported changes: {s['changes_reported'][0]}")
    rb = [s for s in rows if s.get("phases_avg")]
    if rb:
        out.append("")
        out.append("   phase averages (@@BENCH_JSON@@):")
        out.append(render_phase_table(rb))
    return out


def render_phase_table(rows):
    headers = ["field"] + [f"{s['workload']}/{s['variant']}" for s in rows]
    body = []
    for key, label in PHASE_ROWS:
        vals = []
        for s in rows:
            x = s["phases_avg"].get(key)
            if key in ("peak_rss_bytes", "bytes_read"):
                vals.append(fmt(x / MIB if x is not None else None, ".1f"))
            elif key.endswith("_ms"):
                vals.append(fmt(x, ".1f"))
            else:
                vals.append(fmt(x, ".3f"))
        body.append([label] + vals)
    return table(headers, body)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="bench/pipeline/run_bench.sh",
        description="rapidbyte end-to-end benchmarks (SPEC §10.6). Normally started through "
                    "run_bench.sh, which provides the PostgreSQL server.")
    ap.add_argument("--repo", default=os.path.dirname(os.path.dirname(HERE)),
                    help=argparse.SUPPRESS)
    ap.add_argument("--rapidbyte", default=None,
                    help="rapidbyte binary (default: <repo>/build/bench/bin/rapidbyte, the "
                         "bench preset: the release build plus the test connectors); its "
                         "bundled connectors come from the same build tree")
    ap.add_argument("--rows", type=int, default=1_000_000,
                    help="rows in events and bench_events (default 1,000,000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per variant (default 3)")
    ap.add_argument("--suites", default=",".join(DEFAULT_SUITES),
                    help="comma list of e2e, check, source, dest, engine, scale, files, cdc, or "
                         "'all' "
                         "(every suite); default all but cdc")
    ap.add_argument("--workloads", default="",
                    help="e2e workloads: events, bench_events, both (default all)")
    ap.add_argument("--variants", default="",
                    help="e2e variants: copy, copy_lz4, copy_zstd, insert, copy_p1, copy_p2, "
                         "optionally as workload/variant (default all; baselines always run)")
    ap.add_argument("--engine-rows", default="1000000,20000000",
                    help="row counts of the engine-overhead runs (default 1000000,20000000)")
    ap.add_argument("--scale-rows", type=int, default=5_000_000,
                    help="rows of the second table of the scale suite (default 5,000,000)")
    ap.add_argument("--dest-rows", type=int, default=5_000_000,
                    help="rows test-gen writes in the destination-only suite (default "
                         "5,000,000: about 140 MiB, since its rows are narrow)")
    ap.add_argument("--dest-batch-rows", type=int, default=100_000,
                    help="test-gen rows per frame in the destination-only run (default 100000)")
    ap.add_argument("--check-runs", type=int, default=10, help="runs of rapidbyte check")
    ap.add_argument("--cdc-changes", type=int, default=1_000_000,
                    help="cdc suite: the change set's base size N, a multiple of 10,000 "
                         "(default 1,000,000): N changes in transactions of 1,000 (N/2 "
                         "inserts, 3N/10 updates, N/5 deletes) plus one transaction of N/5 "
                         "changes; the source table has --rows rows (at least 0.6 N)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: 100k rows, 1 run, engine 100k and 1M rows, scale and "
                         "destination-only 500k, cdc 20k changes")
    ap.add_argument("--out", default="bench_results.json", help="JSON results file")
    ap.add_argument("--workdir", default=None,
                    help="where pipelines, logs and per-run state go (default: a new temp dir)")
    args = ap.parse_args(argv)
    if args.quick:
        args.rows, args.runs, args.check_runs = 100_000, 1, 5
        args.engine_rows, args.scale_rows, args.dest_rows = "100000,1000000", 500_000, 500_000
        args.cdc_changes = 20_000
    if args.rapidbyte is None:
        args.rapidbyte = os.path.join(args.repo, "build", "bench", "bin", "rapidbyte")
    suites = [s.strip() for s in args.suites.split(",") if s.strip()]
    if "all" in suites:
        suites = ALL_SUITES
    bad = [s for s in suites if s not in ALL_SUITES]
    if bad:
        ap.error(f"unknown suite(s): {', '.join(bad)}")
    args.suites = suites
    args.workloads = [w for w in args.workloads.split(",") if w]
    args.variants = [v for v in args.variants.split(",") if v]
    args.engine_rows = [int(x) for x in args.engine_rows.split(",") if x]
    if args.rows < 1 or args.runs < 1:
        ap.error("--rows and --runs must be at least 1")
    if "cdc" in suites:
        if args.cdc_changes < 10_000 or args.cdc_changes % 10_000:
            ap.error("--cdc-changes must be a positive multiple of 10,000")
        if args.rows < 6 * args.cdc_changes // 10:
            ap.error("the cdc suite updates and deletes ids 1..0.6 x --cdc-changes: --rows "
                     f"must be at least {6 * args.cdc_changes // 10:,}")
    return args


ALL_SUITES = ["e2e", "check", "source", "dest", "engine", "scale", "files", "cdc"]
# cdc takes long (a 1M-row table and 1.2M changes per measured run) and restarts the server
# with wal_level = logical: only when asked for (or `all`).
DEFAULT_SUITES = ALL_SUITES[:-1]

# The test connectors each suite runs (bench/pipeline/templates).
SUITE_TEST_CONNECTORS = {"source": ["test-sink"], "dest": ["test-gen"],
                         "engine": ["test-gen", "test-sink"]}


def missing_test_connectors(rapidbyte, suites):
    """Test connectors the suites need that the binary's bundled folder (or
    $RAPIDBYTE_CONNECTOR_DIR) lacks: release builds leave them out (#22 item 7)."""
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(rapidbyte)))
    bundled = os.path.join(prefix, "connectors")
    if not os.path.exists(os.path.join(prefix, "CMakeCache.txt")):
        bundled = os.path.join(prefix, "lib", "rapidbyte", "connectors")
    folders = [bundled] + [d for d in [os.environ.get("RAPIDBYTE_CONNECTOR_DIR")] if d]
    needed = sorted({c for s in suites for c in SUITE_TEST_CONNECTORS.get(s, [])})
    return [c for c in needed
            if not any(os.path.exists(os.path.join(d, c + ".wasm")) for d in folders)]


def main(argv):
    args = parse_args(argv)
    if not os.access(args.rapidbyte, os.X_OK):
        print(f"bench: no rapidbyte binary at {args.rapidbyte} (build it: cmake --preset bench "
              "&& cmake --build --preset bench, or pass --rapidbyte)", file=sys.stderr)
        return 2
    missing = missing_test_connectors(args.rapidbyte, args.suites)
    if missing:
        print(f"bench: {', '.join(missing)} not found beside {args.rapidbyte}: release builds "
              "ship no test connectors; build the bench preset (cmake --preset bench && cmake "
              "--build --preset bench) or choose suites without them (e2e, check, scale)",
              file=sys.stderr)
        return 2
    if "PGPORT" not in os.environ:
        print("bench: PGHOST/PGPORT not set; start through bench/pipeline/run_bench.sh",
              file=sys.stderr)
        return 2
    b = Bench(args)
    version = subprocess.run([b.rapidbyte, "--version"], capture_output=True,
                             text=True).stdout.strip()
    cpu_model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    git_rev = subprocess.run(["git", "-C", args.repo, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
    b.results["meta"] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "rapidbyte": b.rapidbyte, "rapidbyte_version": version, "git_rev": git_rev,
        "cpus": os.cpu_count(), "cpu_model": cpu_model, "kernel": platform.release(),
        "postgres_version": psql("postgres", "SHOW server_version"),
        "topology": f"one PostgreSQL server on 127.0.0.1:{b.pg['port']}, source database "
                    f"{SRC_DB}, destination database {DST_DB} (schema {DST_SCHEMA})",
        "args": {k: v for k, v in vars(args).items() if k != "repo"},
        "loadavg_start": loadavg(), "workdir": b.work}
    log(f"{version}; work dir {b.work}; suites {','.join(args.suites)}; rows {args.rows:,}; "
        f"runs {args.runs}; load {fmt_la(loadavg())}")
    t_start = time.monotonic()
    b.setup_databases()
    s = args.suites
    if "e2e" in s or "check" in s or "source" in s or "scale" in s or "files" in s:
        b.seed("events", "events.sql", args.rows)
    if "e2e" in s and (b.workload_selected("bench_events") or b.workload_selected("both")):
        b.seed("bench_events", "bench_events.sql", args.rows)
    if "scale" in s:
        b.seed("events_scale", "events.sql", args.scale_rows)
    if "dest" in s:
        b.seed_gen_reference(args.dest_rows)
    if "cdc" in s:
        b.cdc = CdcSuite(b)
        b.cdc.setup()
    b.results["tables"] = {t: {k: v for k, v in i.items() if k != "file"}
                           for t, i in b.tables.items()}
    if "e2e" in s:
        b.add_e2e()
    if "source" in s:
        b.add_source()
    if "dest" in s:
        b.add_dest()
    if "engine" in s:
        b.add_engine()
    if "scale" in s:
        b.add_scale()
    if "files" in s:
        b.add_files()
        b.results["files_duckdb_parquet_bytes"] = b.files_reference
    if "cdc" in s:
        b.variants += b.cdc.variants()
    if "check" in s:
        b.run_check()
    b.run_all()
    reset_dest()
    if b.cdc:
        b.cdc.cleanup()
    b.results["meta"]["loadavg_end"] = loadavg()
    b.results["meta"]["total_secs"] = round(time.monotonic() - t_start, 1)
    b.results["runs"] = [{"id": v.id, "runs": v.runs} for v in b.variants]
    b.summarise()
    text = b.print_report()
    b.results["report"] = text
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(b.results, f, indent=2)
    gen = b.tables.get("gen", {}).get("file")
    if gen and os.path.exists(gen):
        os.remove(gen)
    log(f"wrote {args.out}; logs and pipelines in {b.work}; total "
        f"{b.results['meta']['total_secs']} s")
    failed = any(s["failures"] for s in b.results["variants"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
