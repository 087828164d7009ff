// SPEC §11 acceptance, PostgreSQL → PostgreSQL: failures in the middle of a run (scenarios 16,
// 17, 18, 19, 20, 35, 36, 61): a destination server restart, `kill -9` of the binary in every
// write mode followed by a rerun, Ctrl-C, the run timeout, and the cursor moving while a run
// is in progress.
//
// To have a "middle", the source reads through a paced view (a plpgsql function sleeps every
// kPaceEvery rows), so a full read takes a few seconds whatever the machine; the tests wait
// for the state they need (checkpoints, COPY progress) instead of sleeping. Row counts are
// RB_E2E_ROWS (default 20,000; §11 uses 1M rows, which the sanitized dev build cannot move in
// this suite's time budget).
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

constexpr int kPaceEvery = 200;         // rows between two sleeps of the source view
constexpr double kPaceSeconds = 0.025;  // one sleep
constexpr double kWaitSecs = 120;       // longest wait for a point in a run

class PgCrashTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    if (HasFatalFailure()) return;
    rows_ = RowsKnob(20000);
    interval_ = std::max<std::int64_t>(rows_ / 10, 1);
  }

  // bench_events plus the paced view `paced_events` over it in `db`. Sorting is disabled for
  // the database so that the incremental read (ORDER BY id) streams from the primary key
  // instead of sorting the whole view (and sleeping) before its first row.
  void CreatePacedEvents(const Db& db) {
    CreateBenchEvents(db, rows_);
    db.Exec(
        "CREATE FUNCTION e2e_pace(i int) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
        "IF i % " +
        std::to_string(kPaceEvery) + " = 0 THEN PERFORM pg_sleep(" + std::to_string(kPaceSeconds) +
        "); END IF; RETURN true; END $$;"
        "CREATE VIEW paced_events AS SELECT * FROM bench_events WHERE e2e_pace(id);"
        "ALTER DATABASE " +
        db.name + " SET enable_sort = off;");
  }

  PipelineSpec PacedSpec(const std::string& sync) {
    PipelineSpec spec;
    spec.streams = "    - name: paced_events\n" + sync;
    spec.source_extra =
        "max_batch_rows: " + std::to_string(std::max<std::int64_t>(interval_ / 4, 1));
    spec.resources = "  checkpoint_interval_rows: " + std::to_string(interval_) + "\n";
    // COPY data goes out in groups of copy_flush_bytes (default 4 MiB, more than the whole
    // table): the minimum makes the destination's COPY progress visible while it runs.
    spec.dest_extra = "copy_flush_bytes: 65536";
    return spec;
  }

  // The stored cursor of the only stream as an integer (-1 when none yet).
  std::int64_t StoredCursor() const {
    const std::string v = StateQuery("SELECT cursor_value FROM sync_cursors");
    const std::size_t colon = v.find("\"int64\":");
    return colon == std::string::npos ? -1 : std::atoll(v.c_str() + colon + 8);
  }

  // Rows the destination has committed in `schema` for run `run_id` (0 when none yet).
  static std::int64_t CommittedByRun(const Db& db, std::int64_t run_id,
                                     const std::string& schema = "raw") {
    return std::atoll(db.Scalar("SELECT coalesce(max(records_committed), 0) FROM " + schema +
                                ".rapidbyte_watermarks WHERE run_id = " + std::to_string(run_id))
                          .c_str());
  }

  // Rows COPY has received so far in `db` (0 when no COPY runs).
  static std::int64_t CopyProgress(const Db& db) {
    return std::atoll(
        db.Scalar("SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy "
                  "WHERE datname = current_database()")
            .c_str());
  }

  // Wait until no rapidbyte session is left in `db` (the server has rolled back what the
  // killed process left open).
  static void WaitForSessionsGone(const Db& db) {
    for (int i = 0; i < 500; ++i) {
      if (db.Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                    "application_name = 'rapidbyte'") == "0") {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "rapidbyte sessions still open in " << db.name;
  }

  // Run `pipeline` and SIGKILL it once `ready` holds; fails the test if the run ended first.
  CommandRun RunAndKill(const std::string& pipeline, const std::function<bool()>& ready) {
    bool killed = false;
    CommandOptions options;
    options.while_running = [&](int pid) {
      if (WaitWhileRunning(pid, kWaitSecs, ready)) killed = kill(pid, SIGKILL) == 0;
    };
    CommandRun r = Cli({"run", pipeline, "--output", "json"}, options);
    EXPECT_TRUE(killed) << "the run ended before the kill point (exit " << r.exit_code << "):\n"
                        << r.out << r.err;
    EXPECT_EQ(r.exit_code, 128 + SIGKILL);
    return r;
  }

  std::int64_t rows_ = 0;
  std::int64_t interval_ = 0;
};

// §11.16: the destination server restarts after ≥ 3 checkpoints of an incremental append; the
// stream is retried and the destination is an exact copy. The destination is its own server.
TEST_F(PgCrashTest, DestinationServerRestartMidRunIsRetried) {
  auto server = PgCluster::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  PgCluster& dest_server = **server;
  ASSERT_TRUE(dest_server.CreateDatabase("dst").ok());
  const Db dest{&dest_server, "dst"};
  CreatePacedEvents(src_);
  PipelineSpec spec = PacedSpec("      sync_mode: incremental\n      cursor_field: id\n");
  spec.dest_db = &dest;
  spec.resources += "  max_retries: 5\n";
  bool restarted = false;
  CommandOptions options;
  options.while_running = [&](int pid) {
    const bool ready =
        WaitWhileRunning(pid, kWaitSecs, [&] { return CommittedByRun(dest, 1) >= 3 * interval_; });
    if (!ready) return;
    const Status st = dest_server.Restart();
    EXPECT_TRUE(st.ok()) << st.ToString();
    restarted = st.ok();
  };
  const RunOutput r = Run(WritePipeline(spec), {}, options);
  ASSERT_TRUE(restarted) << "the run ended before 3 checkpoints\n" << r.Describe();
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  // §5.7: the destination's error carries commit_state before_commit, hence "with commit_state".
  EXPECT_TRUE(Contains(r.cmd.err, "Retryable error, will retry") ||
              Contains(r.cmd.err, "Retryable error with commit_state, will retry"))
      << r.cmd.err;
  // Usually 2; a third attempt happens when the first retry finds the server still starting.
  EXPECT_GE(r.Stream("public.paced_events")["attempts"].get<int>(), 2);
  ExpectExactCopy(src_, "public.bench_events", dest, "raw.paced_events", "id", "*");
}

// §11.17: kill -9 after ≥ 2 checkpoints of an incremental append; the rerun resumes exactly
// after the committed rows (exact copy, no duplicates) and the killed run is `interrupted`.
TEST_F(PgCrashTest, KillDuringIncrementalAppendThenRerun) {
  CreatePacedEvents(src_);
  const std::string p =
      WritePipeline(PacedSpec("      sync_mode: incremental\n      cursor_field: id\n"));
  RunAndKill(p, [&] { return StoredCursor() >= 2 * interval_; });
  if (HasFailure()) return;
  WaitForSessionsGone(dst_);
  const std::int64_t committed = dst_.Count("raw.paced_events");
  EXPECT_GE(committed, 2 * interval_);
  EXPECT_LT(committed, rows_);
  EXPECT_EQ(dst_.Scalar("SELECT count(DISTINCT id) FROM raw.paced_events"),
            std::to_string(committed));

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.result["records_read"], rows_ - committed);
  ExpectExactCopy("public.bench_events", "raw.paced_events");
  EXPECT_EQ(StateQuery("SELECT status, error_message FROM sync_runs ORDER BY id"),
            "interrupted|process ended without finishing (killed or crashed)\ncompleted|NULL\n");
}

// §11.18: kill -9 during a full-refresh append: nothing of that run is visible; the rerun
// appends exactly one copy.
TEST_F(PgCrashTest, KillDuringFullRefreshAppendLeavesNothingThenOneCopy) {
  CreatePacedEvents(src_);
  const std::string p = WritePipeline(PacedSpec(""));
  RunAndKill(p, [&] { return CopyProgress(dst_) >= rows_ / 4; });
  if (HasFailure()) return;
  WaitForSessionsGone(dst_);
  EXPECT_TRUE(!dst_.Exists("raw.paced_events") || dst_.Count("raw.paced_events") == 0);

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ExpectExactCopy("public.bench_events", "raw.paced_events");
}

// §11.19: kill -9 during a replace: the previous table stays intact; the rerun replaces it
// and no staging table is left.
TEST_F(PgCrashTest, KillDuringReplaceKeepsTheOldTable) {
  CreatePacedEvents(src_);
  PipelineSpec spec = PacedSpec("");
  spec.write_mode = "replace";
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  src_.Exec(
      "CREATE TABLE events_v1 AS SELECT * FROM bench_events;"
      "UPDATE bench_events SET amount = amount + 1; DELETE FROM bench_events WHERE id % 7 = 0");

  // Replace commits the staging table at checkpoints; the swap happens only at the end.
  const std::int64_t second_run = first.result["run_id"].get<std::int64_t>() + 1;
  RunAndKill(p, [&] { return CommittedByRun(dst_, second_run) >= 2 * interval_; });
  if (HasFailure()) return;
  WaitForSessionsGone(dst_);
  ExpectSameRows(src_, "SELECT * FROM events_v1", dst_, "SELECT * FROM raw.paced_events");

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ExpectExactCopy("public.bench_events", "raw.paced_events");
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging%'"), "0");
}

// §11.20: kill -9 during an upsert (after ≥ 2 intermediate commits that updated rows); the
// rerun makes the destination equal to the source. The source is the table itself (a view's
// nullable key runs into the bug shown by PgSyncTest.UpsertTwiceFromAView), so the second
// run is paced by a row trigger on the destination table instead.
TEST_F(PgCrashTest, KillDuringUpsertThenRerunConverges) {
  CreateBenchEvents(src_, rows_);
  PipelineSpec spec = PacedSpec("");
  spec.streams = "    - name: bench_events\n";
  spec.write_mode = "upsert";
  spec.destination = "  primary_key: [id]\n";
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  ExpectExactCopy("public.bench_events", "raw.bench_events");
  src_.Exec("UPDATE bench_events SET amount = amount + 1, payload = 'v2'");
  dst_.Exec(
      "CREATE FUNCTION raw.e2e_pace() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.id % " +
      std::to_string(kPaceEvery) + " = 0 THEN PERFORM pg_sleep(" + std::to_string(kPaceSeconds) +
      "); END IF; RETURN NEW; END $$;"
      "CREATE TRIGGER pace BEFORE INSERT ON raw.bench_events FOR EACH ROW EXECUTE FUNCTION "
      "raw.e2e_pace()");

  const std::int64_t second_run = first.result["run_id"].get<std::int64_t>() + 1;
  RunAndKill(p, [&] { return CommittedByRun(dst_, second_run) >= 2 * interval_; });
  if (HasFailure()) return;
  WaitForSessionsGone(dst_);
  EXPECT_EQ(dst_.Count("raw.bench_events"), rows_);
  const std::int64_t updated =
      std::atoll(dst_.Scalar("SELECT count(*) FROM raw.bench_events WHERE payload = 'v2'").c_str());
  EXPECT_GE(updated, 2 * interval_);
  EXPECT_LT(updated, rows_);

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  ExpectExactCopy("public.bench_events", "raw.bench_events");
}

// §11.35 (with a slow PostgreSQL source rather than a hanging test connector): SIGINT ends
// the run within cancel_grace_seconds + 5 s as `cancelled`, exit 130 (128 + SIGINT), nothing
// is committed, and an immediate rerun gets the lock and completes.
TEST_F(PgCrashTest, CtrlCCancelsTheRunAndReleasesTheLock) {
  CreatePacedEvents(src_);
  PipelineSpec spec = PacedSpec("");
  spec.resources += "  cancel_grace_seconds: 2\n";
  const std::string p = WritePipeline(spec);
  std::chrono::steady_clock::time_point signalled;
  bool sent = false;
  CommandOptions options;
  options.while_running = [&](int pid) {
    if (!WaitWhileRunning(pid, kWaitSecs, [&] { return CopyProgress(dst_) >= rows_ / 10; })) return;
    signalled = std::chrono::steady_clock::now();
    sent = kill(pid, SIGINT) == 0;
  };
  const RunOutput r = Run(p, {}, options);
  const double after =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  ASSERT_TRUE(sent) << "the run ended before it could be interrupted\n" << r.Describe();
  EXPECT_LT(after, 2 + 5.0);
  EXPECT_EQ(r.exit_code(), 130) << r.Describe();
  EXPECT_EQ(r.result["status"], "cancelled");
  EXPECT_EQ(r.Stream("public.paced_events")["status"], "cancelled");
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs"), "cancelled\n");
  WaitForSessionsGone(dst_);
  EXPECT_TRUE(!dst_.Exists("raw.paced_events") || dst_.Count("raw.paced_events") == 0);

  const RunOutput again = Run(p);
  ASSERT_EQ(again.exit_code(), 0) << again.Describe();
  ExpectExactCopy("public.bench_events", "raw.paced_events");
}

// §11.36 (with a slow PostgreSQL source): `timeout_seconds: 2` fails the run with TIMEOUT
// after about 2 s, exit 1, nothing committed.
TEST_F(PgCrashTest, RunTimeoutFailsWithTimeout) {
  CreatePacedEvents(src_);
  PipelineSpec spec = PacedSpec("");
  spec.resources += "  timeout_seconds: 2\n  cancel_grace_seconds: 2\n";
  const RunOutput r = Run(WritePipeline(spec));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["status"], "failed");
  EXPECT_EQ(r.result["error"]["code"], "TIMEOUT") << r.Describe();
  EXPECT_GE(r.cmd.wall_secs, 2.0);
  EXPECT_LT(r.cmd.wall_secs, 2 + 2 + 5.0);
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs"), "failed\n");
  WaitForSessionsGone(dst_);
  EXPECT_TRUE(!dst_.Exists("raw.paced_events") || dst_.Count("raw.paced_events") == 0);
}

// §11.61: with a slowed destination (a row trigger that sleeps) and checkpoint_interval_rows
// 100 on 250 rows, `state show` during the run shows the cursor moving; the run makes 3
// destination checkpoints (100, 200, end of stream).
TEST_F(PgCrashTest, CursorAdvancesDuringTheRun) {
  src_.Exec(
      "CREATE TABLE events (id int PRIMARY KEY, name text);"
      "INSERT INTO events SELECT i, 'event ' || i FROM generate_series(1, 250) AS i");
  dst_.Exec(
      "CREATE SCHEMA raw; CREATE TABLE raw.events (id int, name text);"
      "CREATE FUNCTION raw.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "PERFORM pg_sleep(0.012); RETURN NEW; END $$;"
      "CREATE TRIGGER slow BEFORE INSERT ON raw.events FOR EACH ROW EXECUTE FUNCTION raw.slow()");
  PipelineSpec spec;
  spec.streams = "    - name: events\n      sync_mode: incremental\n      cursor_field: id\n";
  spec.source_extra = "max_batch_rows: 10";
  spec.resources = "  checkpoint_interval_rows: 100\n";
  const std::string p = WritePipeline(spec);
  std::set<std::int64_t> seen;  // cursor values shown while the run was in progress
  CommandOptions options;
  options.while_running = [&](int pid) {
    while (!ChildExited(pid)) {
      const CommandRun show = Cli({"state", "show", p, "--output", "json"});
      const Json doc = Json::parse(show.out, nullptr, false);
      if (doc.is_object() && doc.value("running", false) && !doc["streams"].empty() &&
          doc["streams"][0]["cursor_value"].is_object()) {
        seen.insert(doc["streams"][0]["cursor_value"].value("int64", std::int64_t{-1}));
      }
    }
  };
  const RunOutput r = Run(p, {}, options);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  // The cursor moves in steps of committed checkpoints: at least two of them are seen while
  // the run is still in progress, and never a value between them.
  EXPECT_GE(seen.size(), 2u) << "cursor values seen during the run: "
                             << ::testing::PrintToString(seen);
  for (const std::int64_t v : seen) {
    EXPECT_TRUE(v == 100 || v == 200 || v == 250)
        << "cursor " << v << " is not a committed position";
  }
  const Json stream = r.Stream("public.events");
  // Source checkpoints follow every frame; the rest are the destination's.
  EXPECT_EQ(stream["checkpoints"].get<int>() - stream["batches_emitted"].get<int>(), 3)
      << stream.dump();
  EXPECT_EQ(StoredCursor(), 250);
  ExpectExactCopy("public.events", "raw.events");
}

}  // namespace
}  // namespace rapidbyte::e2e
