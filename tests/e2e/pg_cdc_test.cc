// SPEC §14 end to end: `sync_mode: cdc` from a real PostgreSQL 15 (wal_level = logical, the
// harness's default) through the real binary and connectors into a mirror (upsert) or a change
// log (append). Each test uses its own pipeline name, so its slot and publication are its own
// (E2eTest's TearDown drops the slots of the test's databases).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

class PgCdcTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    if (HasFatalFailure()) return;
    src_.Exec(
        "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, qty int, "
        "note text, updated_at timestamptz DEFAULT now());"
        "INSERT INTO items (id, name, qty) SELECT g, 'item ' || g, g FROM "
        "generate_series(1, 100) g;");
  }

  // A cdc pipeline over `items` named `name` with `write_mode`.
  std::string CdcPipeline(const std::string& name, const std::string& write_mode,
                          const std::string& stream_extra = "") {
    PipelineSpec spec;
    spec.name = name;
    spec.write_mode = write_mode;
    spec.streams = "    - name: items\n      sync_mode: cdc\n      primary_key: [id]\n" + stream_extra;
    return WritePipeline(spec);
  }

  // Poll `ready` while the run `pid` goes on (60 s at most); on a timeout, fail the test and
  // kill the run, so a follow run never outlives its test.
  bool WaitUntil(int pid, const std::function<bool()>& ready) {
    if (WaitWhileRunning(pid, 60, ready)) return true;
    ADD_FAILURE() << "condition not met within 60 s while the run was going";
    kill(pid, SIGKILL);
    return false;
  }

  std::string Slot(const std::string& pipeline) { return "rb_" + pipeline + "_public_items"; }

  void ExpectMirror() {
    ExpectSameRows(src_, "SELECT id, name, qty, note, updated_at FROM public.items", dst_,
                   "SELECT id, name, qty, note, updated_at FROM raw.items");
  }

  // Inserts 3 rows, updates 5, deletes 4, in three transactions.
  void ChangeItems() {
    src_.Exec("INSERT INTO items (id, name, qty) VALUES (101, 'new a', 1), (102, 'new b', 2), "
              "(103, 'new c', 3)");
    src_.Exec("BEGIN; UPDATE items SET qty = qty * 10, updated_at = now() WHERE id <= 5; "
              "COMMIT");
    src_.Exec("DELETE FROM items WHERE id IN (50, 51, 52, 101)");
  }
};

// §14.2 and §14.4: the first run snapshots the table and ends at the WAL position it
// started at; changes made afterwards arrive with the next run; a run without changes
// writes nothing and still succeeds. The mirror equals the source after each run and holds
// none of the change columns.
TEST_F(PgCdcTest, MirrorSnapshotThenCatchUpRuns) {
  const std::string p = CdcPipeline("cdc_mirror", "upsert");
  RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  // The 100 rows after the truncate every snapshot starts with (§14.2).
  EXPECT_EQ(r.Stream("public.items")["records_read"], 101) << r.Describe();
  ExpectMirror();
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                        "'raw' AND table_name = 'items' AND column_name LIKE '\\_rb\\_%'"),
            "0");
  EXPECT_EQ(src_.Scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" +
                        Slot("cdc_mirror") + "'"),
            "1");

  ChangeItems();
  r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  // 3 inserts + 5 updates + 4 deletes, each exactly once.
  EXPECT_EQ(r.Stream("public.items")["records_read"], 12) << r.Describe();
  EXPECT_EQ(r.Stream("public.items")["changes"],
            Json({{"inserts", 3}, {"updates", 5}, {"deletes", 4}, {"truncates", 0}}))
      << r.Describe();
  // §14.6: the lag metrics are in the result (0 once caught up).
  const Json metrics = r.Stream("public.items")["metrics"];
  EXPECT_EQ(metrics.value("source.cdc_lag_bytes", -1.0), 0.0) << metrics.dump();
  EXPECT_TRUE(metrics.contains("source.cdc_lag_seconds")) << metrics.dump();
  ExpectMirror();

  r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.Stream("public.items")["records_read"], 0) << r.Describe();
  ExpectMirror();
}

// §14.3 and §14.5 append: the change log holds the snapshot as inserts (after the truncate
// every snapshot starts with) and then every change once, with its operation, commit LSN and
// commit time; a truncate is one row.
TEST_F(PgCdcTest, ChangeLogHoldsEveryChangeOnce) {
  const std::string p = CdcPipeline("cdc_log", "append");
  RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM raw.items WHERE _rb_op = 'insert' AND "
                        "_rb_commit_ts IS NULL"),
            "100");
  ChangeItems();
  src_.Exec("TRUNCATE items");
  src_.Exec("INSERT INTO items (id, name, qty) VALUES (7, 'after truncate', 7)");
  r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(dst_.SortedRows("SELECT _rb_op, count(*) FROM raw.items GROUP BY _rb_op"),
            (std::vector<std::string>{"delete|4", "insert|104", "truncate|2", "update|5"}));
  // Deletes carry the key; updates the new row; commit LSNs never go backwards.
  EXPECT_EQ(dst_.SortedRows("SELECT id FROM raw.items WHERE _rb_op = 'delete'"),
            (std::vector<std::string>{"101", "50", "51", "52"}));
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM raw.items WHERE _rb_op = 'update' AND qty % 10 <> 0"),
            "0");
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM raw.items WHERE _rb_op <> 'insert' AND "
                        "_rb_commit_ts IS NULL"),
            "0");
  EXPECT_EQ(dst_.Scalar("SELECT bool_and(_rb_lsn > 0) FROM raw.items"), "t");

  // Nothing new: nothing written, the log is unchanged.
  r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(dst_.Count("raw.items"), 115);
}

// §14.3: an update that leaves a TOASTed value unchanged does not send it; the mirror keeps
// it (and the change log lists the column in _rb_unchanged).
TEST_F(PgCdcTest, UnchangedToastedValuesKeepTheirValue) {
  src_.Exec("UPDATE items SET note = repeat(md5(id::text), 4000) WHERE id <= 3");
  const std::string p = CdcPipeline("cdc_toast", "upsert");
  ASSERT_EQ(Run(p).exit_code(), 0);
  src_.Exec("UPDATE items SET qty = -1 WHERE id <= 3");
  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ExpectMirror();
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM raw.items WHERE qty = -1 AND length(note) = 128000"),
            "3");
}

// §14.4: a slot dropped by hand fails the next run with SLOT_MISSING and the reset advice;
// `state reset` then takes a new snapshot.
TEST_F(PgCdcTest, SlotDroppedByHandIsSlotMissing) {
  const std::string p = CdcPipeline("cdc_lost", "upsert");
  ASSERT_EQ(Run(p).exit_code(), 0);
  src_.Exec("SELECT pg_drop_replication_slot('" + Slot("cdc_lost") + "')");
  const RunOutput r = Run(p);
  EXPECT_NE(r.exit_code(), 0) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.out + r.cmd.err, "SLOT_MISSING")) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.out + r.cmd.err, "state reset")) << r.Describe();
}

// §14.1: a table without a replica identity cannot replicate updates and deletes.
TEST_F(PgCdcTest, TableWithoutReplicaIdentityIsAClearError) {
  src_.Exec("CREATE TABLE nokey (a int, b text); INSERT INTO nokey VALUES (1, 'x')");
  PipelineSpec spec;
  spec.name = "cdc_nokey";
  spec.streams = "    - name: nokey\n      sync_mode: cdc\n";
  const RunOutput r = Run(WritePipeline(spec));
  EXPECT_NE(r.exit_code(), 0) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.out + r.cmd.err, "REPLICA_IDENTITY_MISSING")) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.out + r.cmd.err, "REPLICA IDENTITY FULL")) << r.Describe();
}

// §14.3: a quiet table's slot does not hold WAL: while a follow run idles, other tables
// write WAL, and the slot's confirmed_flush_lsn moves past it (the source advances its
// position to the server's WAL end, the destination commits it, the source confirms it).
TEST_F(PgCdcTest, IdleFollowRunAdvancesItsSlot) {
  PipelineSpec spec;
  spec.name = "cdc_quiet";
  spec.write_mode = "upsert";
  spec.streams = "    - name: items\n      sync_mode: cdc\n      primary_key: [id]\n";
  spec.resources = "  checkpoint_interval_seconds: 1\n";
  const std::string p = WritePipeline(spec);
  std::string wal;
  bool advanced = false;
  CommandOptions options;
  options.while_running = [&](int pid) {
    if (!WaitUntil(pid, [&] { return dst_.Scalar("SELECT count(*) FROM raw.items") == "100"; })) return;
    src_.Exec("CREATE TABLE other (x int); INSERT INTO other SELECT generate_series(1, 1000)");
    wal = src_.Scalar("SELECT pg_current_wal_lsn()");
    advanced = WaitWhileRunning(pid, 60, [&] {
      return src_.Scalar("SELECT confirmed_flush_lsn >= '" + wal + "'::pg_lsn FROM "
                         "pg_replication_slots WHERE slot_name = '" + Slot("cdc_quiet") + "'") == "t";
    });
    kill(pid, SIGTERM);
  };
  const RunOutput r = Run(p, {"--follow"}, options);
  EXPECT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_TRUE(advanced) << "confirmed_flush_lsn stayed before " << wal << ": "
                        << src_.Scalar("SELECT confirmed_flush_lsn FROM pg_replication_slots "
                                       "WHERE slot_name = '" + Slot("cdc_quiet") + "'");
}

// §14.6: `run --follow` keeps streaming; SIGTERM ends it gracefully (exit 0) with everything
// it received committed.
TEST_F(PgCdcTest, FollowRunStopsGracefullyOnSigterm) {
  const std::string p = CdcPipeline("cdc_follow", "upsert");
  CommandOptions options;
  options.while_running = [&](int pid) {
    // Wait for the snapshot, then change rows while the run follows.
    if (!WaitUntil(pid, [&] { return dst_.Scalar("SELECT count(*) FROM raw.items") == "100"; })) return;
    src_.Exec("INSERT INTO items (id, name, qty) VALUES (500, 'live', 5)");
    src_.Exec("UPDATE items SET qty = 0 WHERE id = 1");
    if (!WaitUntil(pid, [&] {
          return dst_.Scalar("SELECT count(*) FROM raw.items WHERE id = 500 OR (id = 1 AND qty = 0)") == "2";
        })) {
      return;
    }
    src_.Exec("DELETE FROM items WHERE id = 2");
    kill(pid, SIGTERM);
  };
  const RunOutput r = Run(p, {"--follow"}, options);
  EXPECT_EQ(r.exit_code(), 0) << r.Describe();
  // The delete made just before SIGTERM may or may not have been read; a catch-up run
  // delivers whatever was not, and the mirror is exact.
  ASSERT_EQ(Run(p).exit_code(), 0);
  ExpectMirror();
}

// §14.4: `state reset` of a cdc stream drops its slot and the publication rapidbyte created,
// and says so; the next run takes a new snapshot. A publication the user named is kept.
TEST_F(PgCdcTest, StateResetDropsTheSlotAndRapidbytesPublication) {
  const std::string p = CdcPipeline("cdc_reset", "upsert");
  ASSERT_EQ(Run(p).exit_code(), 0);
  const std::string slot = Slot("cdc_reset");
  CommandRun reset = Cli({"state", "reset", p, "--stream", "public.items"});
  ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
  EXPECT_TRUE(Contains(reset.out, "dropped replication slot " + slot)) << reset.out;
  EXPECT_TRUE(Contains(reset.out, "dropped publication " + slot)) << reset.out;
  EXPECT_EQ(src_.Scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"), "0");
  EXPECT_EQ(src_.Scalar("SELECT count(*) FROM pg_publication WHERE pubname = '" + slot + "'"), "0");
  src_.Exec("DELETE FROM items WHERE id > 90");
  const RunOutput again = Run(p);
  ASSERT_EQ(again.exit_code(), 0) << again.Describe();
  EXPECT_EQ(again.Stream("public.items")["records_read"], 91) << again.Describe();  // + truncate

  // A publication named by the user is never dropped.
  src_.Exec("CREATE PUBLICATION mine FOR TABLE items");
  const std::string q = CdcPipeline("cdc_reset_mine", "upsert",
                                    "      cdc: {publication: mine, create: false}\n");
  ASSERT_EQ(Run(q).exit_code(), 0);
  reset = Cli({"state", "reset", q});
  ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
  EXPECT_TRUE(Contains(reset.out, "kept publication mine")) << reset.out;
  EXPECT_EQ(src_.Scalar("SELECT count(*) FROM pg_publication WHERE pubname = 'mine'"), "1");
}

// §14.2 and §14.4 under load: a writer inserts, updates and deletes while runs snapshot and
// catch up; `kills` of those runs (alternating mirror and change log) are killed with SIGKILL
// at random moments (during the snapshot, mid-transaction, between commit and checkpoint).
// After the writer stops and a final run of each, the mirror equals the source and the
// change log holds every change exactly once (no change row repeated, and replaying the log's
// last change per key gives the source).
class PgCdcLoadTest : public PgCdcTest {
 protected:
  void RunUnderLoad(int runs, bool kill_them) {
    src_.Exec("INSERT INTO items (id, name, qty) SELECT g, 'bulk ' || g, g FROM "
              "generate_series(101, 20000) g");
    PipelineSpec mirror;
    mirror.name = kill_them ? "cdc_kill_mirror" : "cdc_load_mirror";
    mirror.write_mode = "upsert";
    mirror.streams = "    - name: items\n      sync_mode: cdc\n      primary_key: [id]\n";
    mirror.resources = "  max_batch_bytes: 64kb\n  checkpoint_interval_rows: 2000\n";
    PipelineSpec log = mirror;
    log.name = kill_them ? "cdc_kill_log" : "cdc_load_log";
    log.write_mode = "append";
    log.dest_schema = "log";
    const std::string pipelines[] = {WritePipeline(mirror), WritePipeline(log)};

    std::atomic<bool> stop{false};
    std::atomic<int> batches{0};
    std::thread writer([&] {
      for (int i = 0; !stop; ++i) {
        const std::string base = std::to_string(20001 + i * 10);
        src_.Exec("BEGIN;"
                  "INSERT INTO items (id, name, qty) SELECT g, 'w ' || g, g FROM generate_series(" +
                  base + ", " + base + " + 9) g;"
                  "UPDATE items SET qty = qty + 1, note = 'u" + std::to_string(i) +
                  "' WHERE id % 97 = " + std::to_string(i % 97) + ";"
                  "DELETE FROM items WHERE id = " + std::to_string(1 + (i * 37) % 20000) + ";"
                  "COMMIT");
        ++batches;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    std::srand(12345);
    for (int trial = 0; trial < runs; ++trial) {
      const std::string& p = pipelines[trial % 2];
      CommandOptions options;
      if (kill_them) {
        const int delay_ms = 100 + std::rand() % 1500;
        options.while_running = [delay_ms](int pid) {
          std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
          kill(pid, SIGKILL);
        };
      }
      const CommandRun r = Cli({"run", p, "--no-progress"}, options);
      if (kill_them) {
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 128 + SIGKILL) << r.exit_code << r.err;
      } else {
        EXPECT_EQ(r.exit_code, 0) << r.err;
      }
    }
    stop = true;
    writer.join();
    EXPECT_GT(batches.load(), 10);
    for (const std::string& p : pipelines) {
      const RunOutput r = Run(p);
      ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    }
    ExpectMirror();
    // Within one transaction the writer inserts, then updates, then deletes: the order of
    // changes sharing a commit LSN.
    EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM (SELECT _rb_lsn, _rb_op, id, qty, note, count(*) "
                          "FROM log.items GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1) d"),
              "0");
    ExpectSameRows(src_, "SELECT id, name, qty, note FROM public.items", dst_,
                   "SELECT id, name, qty, note FROM (SELECT DISTINCT ON (id) * FROM log.items "
                   "WHERE _rb_op <> 'truncate' "
                   "ORDER BY id, _rb_lsn DESC, CASE _rb_op WHEN 'delete' THEN 0 WHEN 'update' THEN 1 "
                   "ELSE 2 END) last "
                   "WHERE _rb_op <> 'delete'");
  }
};

TEST_F(PgCdcLoadTest, SnapshotHandoffUnderLoadIsExact) { RunUnderLoad(4, false); }

TEST_F(PgCdcLoadTest, KilledRunsUnderLoadConvergeExactly) { RunUnderLoad(20, true); }

// §14.3: frames are cut inside a transaction, so one transaction far larger than the batch
// limits streams with flat memory: peak RSS for a transaction of N changes stays within 20%
// of that for N/5 (N = $RB_E2E_ROWS, default 400k; the figure is 2 million).
TEST_F(PgCdcTest, OneHugeTransactionStreamsWithFlatMemory) {
  const std::int64_t n = RowsKnob(400000);
  const CommandOptions options = WithoutAsanQuarantine();
  std::int64_t peak[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t changes = i == 0 ? n / 5 : n;
    const std::string table = i == 0 ? "small_tx" : "large_tx";
    src_.Exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, payload text)");
    PipelineSpec spec;
    spec.name = "cdc_" + table;
    spec.write_mode = "append";
    spec.streams = "    - name: " + table + "\n      sync_mode: cdc\n";
    spec.resources = "  max_batch_bytes: 4mb\n";
    const std::string p = WritePipeline(spec);
    ASSERT_EQ(Run(p).exit_code(), 0);  // the (empty) snapshot
    src_.Exec("INSERT INTO " + table + " SELECT g, repeat('x', 64) FROM generate_series(1, " +
              std::to_string(changes) + ") g");
    const RunOutput r = Run(p, {}, options);
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.Stream("public." + table)["records_read"], changes) << r.Describe();
    EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM raw." + table + " WHERE _rb_op = 'insert'"),
              std::to_string(changes));
    peak[i] = r.result["peak_rss_bytes"].get<std::int64_t>();
  }
  const double growth = static_cast<double>(peak[1]) / static_cast<double>(peak[0]);
  EXPECT_LT(growth, 1.2) << "peak RSS " << peak[0] << " for " << n / 5 << " changes, " << peak[1]
                         << " for " << n;
}

// §14.3: a column added while changes flow: the run ends before the first change with the
// new column, the next run continues with it, and the destination adds the column under its
// schema_evolution policy (the default adds new columns).
TEST_F(PgCdcTest, ColumnAddedMidStream) {
  const std::string p = CdcPipeline("cdc_ddl", "upsert");
  ASSERT_EQ(Run(p).exit_code(), 0);
  src_.Exec("UPDATE items SET qty = 1000 WHERE id = 1");
  src_.Exec("ALTER TABLE items ADD COLUMN color text");
  src_.Exec("UPDATE items SET color = 'red', qty = 2000 WHERE id = 2");
  RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(dst_.Scalar("SELECT qty FROM raw.items WHERE id = 1"), "1000");
  r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ExpectSameRows(src_, "SELECT id, name, qty, note, color FROM public.items", dst_,
                 "SELECT id, name, qty, note, color FROM raw.items");
}

// REPLICA IDENTITY FULL on a table without a key: deletes carry the whole old row.
TEST_F(PgCdcTest, ReplicaIdentityFullDeletesCarryTheWholeRow) {
  src_.Exec("CREATE TABLE events (kind text, amount int); ALTER TABLE events REPLICA IDENTITY FULL;"
            "INSERT INTO events VALUES ('a', 1), ('b', 2)");
  PipelineSpec spec;
  spec.name = "cdc_full";
  spec.streams = "    - name: events\n      sync_mode: cdc\n";
  const std::string p = WritePipeline(spec);
  ASSERT_EQ(Run(p).exit_code(), 0);
  src_.Exec("DELETE FROM events WHERE kind = 'b'; UPDATE events SET amount = 10 WHERE kind = 'a'");
  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(dst_.SortedRows("SELECT _rb_op, kind, amount FROM raw.events WHERE _rb_commit_ts IS NOT "
                            "NULL AND _rb_op <> 'truncate'"),
            (std::vector<std::string>{"delete|b|2", "update|a|10"}));
}

// §14.1: `check` verifies every prerequisite of a cdc stream and names the fix.
TEST_F(PgCdcTest, CheckNamesTheMissingPrerequisite) {
  const std::string ok = CdcPipeline("cdc_check", "upsert");
  CommandRun r = Cli({"check", ok});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "public.items can be streamed (slot rb_cdc_check_public_items")) << r.out;

  src_.Exec("CREATE TABLE nokey (a int)");
  PipelineSpec spec;
  spec.name = "cdc_check_bad";
  spec.streams = "    - name: nokey\n      sync_mode: cdc\n"
                 "    - name: items\n      sync_mode: cdc\n      cdc: {publication: absent, create: false}\n";
  r = Cli({"check", WritePipeline(spec)});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "REPLICA IDENTITY FULL")) << r.out;
  EXPECT_TRUE(Contains(r.out, "CREATE PUBLICATION \"absent\" FOR TABLE")) << r.out;
}

// §14.4 retries: the destination server restarts, then the source server restarts, while a
// follow run streams; each is retried from the committed position, and the mirror is exact.
TEST_F(PgCdcTest, ServerRestartsMidStreamAreRetriedExactly) {
  auto server = PgCluster::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  PgCluster& dest_server = **server;
  ASSERT_TRUE(dest_server.CreateDatabase("dst").ok());
  const Db dest{&dest_server, "dst"};
  PipelineSpec spec;
  spec.name = "cdc_restart";
  spec.write_mode = "upsert";
  spec.streams = "    - name: items\n      sync_mode: cdc\n      primary_key: [id]\n";
  spec.resources = "  checkpoint_interval_seconds: 1\n  max_retries: 8\n";
  spec.dest_db = &dest;
  const std::string p = WritePipeline(spec);
  auto applied = [&](int id) {
    return dest.Scalar("SELECT count(*) FROM raw.items WHERE id = " + std::to_string(id)) == "1";
  };
  int restarts = 0;
  CommandOptions options;
  options.while_running = [&](int pid) {
    if (!WaitUntil(pid, [&] { return dest.Scalar("SELECT count(*) FROM raw.items") == "100"; })) return;
    src_.Exec("INSERT INTO items (id, name) VALUES (1001, 'before dest restart')");
    if (!WaitUntil(pid, [&] { return applied(1001); })) return;
    if (dest_server.Restart().ok()) ++restarts;
    src_.Exec("INSERT INTO items (id, name) VALUES (1002, 'after dest restart'); "
              "UPDATE items SET qty = -5 WHERE id = 3; DELETE FROM items WHERE id = 4");
    if (!WaitUntil(pid, [&] { return applied(1002); })) return;
    if (cluster()->Restart().ok()) ++restarts;
    src_.Exec("INSERT INTO items (id, name) VALUES (1003, 'after source restart'); "
              "DELETE FROM items WHERE id = 5");
    if (!WaitUntil(pid, [&] { return applied(1003); })) return;
    kill(pid, SIGTERM);
  };
  const RunOutput r = Run(p, {"--follow"}, options);
  EXPECT_EQ(restarts, 2);
  EXPECT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_GE(r.Stream("public.items")["attempts"].get<int>(), 3) << r.Describe();
  ASSERT_EQ(Run(p).exit_code(), 0);
  ExpectSameRows(src_, "SELECT id, name, qty, note, updated_at FROM public.items", dest,
                 "SELECT id, name, qty, note, updated_at FROM raw.items");
}

}  // namespace
}  // namespace rapidbyte::e2e
