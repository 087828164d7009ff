// SPEC §11 acceptance: faults at the edges of a commit (scenarios 21, 22, 23, 24, 62) and Arrow
// input that no PostgreSQL source produces (54), with the real binary and PostgreSQL.
//
// The moments these scenarios need (between a destination's COMMIT and the cursor write, the
// reply of one particular COMMIT) cannot be hit from outside the process, so the fault
// scenarios use the hooks test builds read from RAPIDBYTE_FAULTS_FOR_TEST
// (src/plugin/fault_hooks.h): each fires at an exact checkpoint or COMMIT, so these tests need
// no pacing and no waiting. The test-sink scenarios (23, 24) use its failure modes instead.
#include <signal.h>

#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

// Every fault scenario moves kRows rows of bench_events incrementally in source frames of
// kBatchRows, and dest-postgres commits (and checkpoints) every kInterval rows.
constexpr std::int64_t kRows = 2000;
constexpr std::int64_t kBatchRows = 100;
constexpr std::int64_t kInterval = 500;

class PgFaultsTest : public E2eTest {
 protected:
  // source-postgres → dest-postgres, incremental on id, checkpoints every kInterval rows.
  std::string IncrementalPipeline() {
    PipelineSpec spec;
    spec.streams =
        "    - name: bench_events\n      sync_mode: incremental\n      cursor_field: id\n";
    spec.source_extra = "max_batch_rows: " + std::to_string(kBatchRows);
    spec.resources = "  checkpoint_interval_rows: " + std::to_string(kInterval) + "\n";
    return WritePipeline(spec);
  }

  // source-postgres → test-sink (which commits into its connector state, §5.9), for the
  // scenarios that need a destination's failure modes. Same pipeline name for every file,
  // so runs of different files share state.
  std::string SinkPipeline(const std::string& streams, const std::string& sink_config,
                           const std::string& source_extra = "",
                           const std::string& resources = "") {
    std::string yaml =
        "version: \"1.0\"\npipeline: e2e_sink\nsource:\n  use: source-postgres\n  config: " +
        PgConfig(src_, source_extra) + "\n  streams:\n" + streams +
        "destination:\n  use: test-sink\n  config: " + sink_config + "\n  write_mode: append\n";
    if (!resources.empty()) yaml += "resources:\n" + resources;
    const std::string path = dir_ + "/e2e_sink_" + std::to_string(pipelines_++) + ".yaml";
    testing::WriteFile(path, yaml);
    return path;
  }

  // `items (id bigint primary key, note text)` with ids 1..rows in the source (test-sink
  // needs an int64 first column).
  void CreateItems(std::int64_t rows) {
    src_.Exec(
        "CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL);"
        "INSERT INTO items SELECT i, 'note-' || i FROM generate_series(1, " +
        std::to_string(rows) + ") AS i;");
  }

  static CommandOptions WithFault(const std::string& fault) {
    CommandOptions options;
    options.env.push_back("RAPIDBYTE_FAULTS_FOR_TEST=" + fault);
    return options;
  }

  // The first line of `log` containing `needle` (empty when none).
  static std::string LogLine(const std::string& log, const std::string& needle) {
    const std::size_t at = log.find(needle);
    if (at == std::string::npos) return "";
    const std::size_t begin = log.rfind('\n', at) + 1;  // npos + 1 == 0: the first line
    const std::size_t end = log.find('\n', at);
    return log.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  }

  std::string StoredCursor() const { return StateQuery("SELECT cursor_value FROM sync_cursors"); }

  // Rows the destination's commit record says run `run_id` committed.
  std::string CommittedByRun(std::int64_t run_id) const {
    return dst_.Scalar(
        "SELECT max(records_committed) FROM raw.rapidbyte_watermarks WHERE run_id = " +
        std::to_string(run_id));
  }
};

// Whether the binary under test has the fault hooks (tests/e2e/CMakeLists.txt passes the
// CMake option on); the `release` preset builds without them.
#ifdef RB_FAULT_HOOKS
constexpr bool kFaultHooks = true;
#else
constexpr bool kFaultHooks = false;
#endif

// §11.21: the process is killed (SIGKILL from the kill_before_cursor_persist hook) after
// dest-postgres committed rows 1..1000 and reported its second checkpoint, before the engine
// stored that position: the state still says 500. The rerun adopts the position in the
// destination's commit record (§5.5), so it reads only rows 1001..2000 and the copy is exact;
// resuming from the stored 500 would duplicate rows 501..1000.
TEST_F(PgFaultsTest, KillBetweenCommitAndCursorWriteRerunAdoptsTheCommitRecord) {
  if (!kFaultHooks) GTEST_SKIP() << "built without RB_FAULT_HOOKS";
  CreateBenchEvents(src_, kRows);
  const std::string p = IncrementalPipeline();
  const CommandRun killed =
      Cli({"run", p, "--output", "json"}, WithFault("kill_before_cursor_persist=2"));
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.out << killed.err;
  EXPECT_EQ(dst_.Count("raw.bench_events"), 2 * kInterval);
  EXPECT_EQ(CommittedByRun(1), std::to_string(2 * kInterval));
  EXPECT_EQ(StoredCursor(), "{\"int64\":" + std::to_string(kInterval) + "}\n");

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.err, "adopted the destination's committed position")) << r.cmd.err;
  EXPECT_EQ(r.result["records_read"], kRows - 2 * kInterval);
  ExpectExactCopy("public.bench_events", "raw.bench_events");
  EXPECT_EQ(StoredCursor(), "{\"int64\":" + std::to_string(kRows) + "}\n");
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs ORDER BY id"), "interrupted\ncompleted\n");
}

// §11.22: the drop_after_commit hook closes dest-postgres's connection right after its second
// COMMIT (rows 1..1000) went out, so the server commits but the reply is lost. dest-postgres
// reports COMMIT_FAILED with after_commit_unknown; it declares exactly_once, so the stream is
// retried, and the retry adopts the committed position: exact copy, no duplicates.
TEST_F(PgFaultsTest, UnknownCommitOutcomeWithExactlyOnceIsRetriedWithoutDuplicates) {
  if (!kFaultHooks) GTEST_SKIP() << "built without RB_FAULT_HOOKS";
  CreateBenchEvents(src_, kRows);
  const RunOutput r = Run(IncrementalPipeline(), {}, WithFault("drop_after_commit=2"));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.Stream("public.bench_events")["attempts"], 2) << r.Describe();
  const std::string retry = LogLine(r.cmd.err, "Retryable error with commit_state, will retry");
  EXPECT_TRUE(Contains(retry, "code=COMMIT_FAILED")) << r.cmd.err;
  EXPECT_TRUE(Contains(retry, "commit_state=after_commit_unknown")) << r.cmd.err;
  // The COMMIT did happen: the second attempt starts after row 1000.
  EXPECT_TRUE(Contains(r.cmd.err, "adopted the destination's committed position")) << r.cmd.err;
  ExpectExactCopy("public.bench_events", "raw.bench_events");
  EXPECT_EQ(StoredCursor(), "{\"int64\":" + std::to_string(kRows) + "}\n");
}

// §11.23: test-sink (no exactly_once) commits, then reports after_commit_unknown. Run 1 stored
// cursor 3; run 2 reads rows 4 and 5 and fails without a retry, saying the outcome is unknown
// and how to check (the stored cursor and the run that stored it).
TEST_F(PgFaultsTest, UnknownCommitOutcomeWithoutExactlyOnceIsNotRetried) {
  CreateItems(3);
  const std::string streams =
      "    - name: items\n      sync_mode: incremental\n      cursor_field: id\n";
  const RunOutput first = Run(SinkPipeline(streams, "{}"));
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  src_.Exec("INSERT INTO items VALUES (4, 'note-4'), (5, 'note-5')");

  const RunOutput r = Run(SinkPipeline(streams, "{commit_unknown_attempts: 1}"));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["status"], "failed");
  EXPECT_EQ(r.Stream("public.items")["attempts"], 1);
  EXPECT_EQ(r.result["error"]["code"], "COMMIT_FAILED");
  EXPECT_EQ(r.result["error"]["commit_state"], "after_commit_unknown");
  EXPECT_TRUE(Contains(r.cmd.err,
                       "The outcome of the last commit of stream public.items is unknown "
                       "(connection lost during COMMIT). The destination does not declare "
                       "exactly_once, so rapidbyte will not retry automatically. Check whether "
                       "the destination holds the rows after cursor {\"int64\":3} (stored by run "
                       "#1); if not, run again; if it does, rows may be duplicated by a rerun."))
      << r.cmd.err;
  EXPECT_TRUE(Contains(r.cmd.err, "Commit outcome unknown; not retrying")) << r.cmd.err;
  EXPECT_FALSE(Contains(r.cmd.err, "will retry")) << r.cmd.err;
  EXPECT_EQ(StoredCursor(), "{\"int64\":3}\n");
}

// §11.24: test-sink holds its first frame (fail_delay_ms) and then fails retryably, while the
// source, 2 frames ahead on a channel of 1, is blocked in rb_host_emit_batch. The stream is
// retried (max_retries 1) and the error reported at the end is the destination's; the source's
// cancellation is only a consequence. records_read shows the source really was held back.
TEST_F(PgFaultsTest, RootCauseIsTheDestinationsWhileTheSourceIsBlocked) {
  constexpr std::int64_t kItems = 5000;
  CreateItems(kItems);
  const RunOutput r =
      Run(SinkPipeline("    - name: items\n", "{fail_attempts: 5, fail_delay_ms: 500}",
                       "max_batch_rows: 50", "  max_inflight_batches: 1\n  max_retries: 1\n"));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.Stream("public.items")["attempts"], 2) << r.Describe();
  EXPECT_TRUE(Contains(r.cmd.err, "Retryable error, will retry")) << r.cmd.err;
  EXPECT_TRUE(Contains(r.cmd.err, "Max retries exhausted, failing pipeline")) << r.cmd.err;
  EXPECT_EQ(r.result["error"]["stage"], "Destination");
  EXPECT_EQ(r.result["error"]["code"], "TEST_SINK_FAILURE");
  EXPECT_TRUE(Contains(r.cmd.err,
                       "stream public.items: Destination error: [transient_db/stream] "
                       "TEST_SINK_FAILURE (retryable): test-sink fails attempt 2"))
      << r.cmd.err;
  EXPECT_FALSE(Contains(r.cmd.err, "Source error")) << r.cmd.err;
  // A few frames per attempt (300 rows in all here), where a source that was not held back
  // would have read all kItems rows in each attempt.
  EXPECT_LT(r.result["records_read"].get<std::int64_t>(), kItems / 4) << r.Describe();
}

// §11.62: the fail_dest_checkpoint hook refuses dest-postgres's third checkpoint, so the run
// fails after 2 checkpoints (rows 1..1000 committed, cursor 1000). Its sync_runs row is
// `failed` with the rows read and written so far and the root cause's message.
TEST_F(PgFaultsTest, FailedRunIsRecordedWithCountsAndRootCause) {
  if (!kFaultHooks) GTEST_SKIP() << "built without RB_FAULT_HOOKS";
  CreateBenchEvents(src_, kRows);
  const RunOutput r = Run(IncrementalPipeline(), {}, WithFault("fail_dest_checkpoint=3"));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["status"], "failed");
  EXPECT_EQ(r.result["error"]["code"], "FAULT_INJECTED") << r.Describe();
  EXPECT_EQ(StoredCursor(), "{\"int64\":" + std::to_string(2 * kInterval) + "}\n");
  const std::string row =
      StateQuery("SELECT status, records_read > 0, records_written, error_message FROM sync_runs");
  EXPECT_EQ(row, "failed|1|" + std::to_string(2 * kInterval) +
                     "|stream public.bench_events: Destination error: [internal/stream] "
                     "FAULT_INJECTED (fatal): stream public.bench_events: rb_host_checkpoint: "
                     "destination checkpoint refused by the fail_dest_checkpoint fault hook\n");
}

// §11.54: test-gen emits uint32, uint64, large_utf8, time64[ns], timestamp[ns, UTC] and
// decimal128(12,3) without PostgreSQL field metadata; dest-postgres creates the §9.2 types
// with both load methods and stores the values (sub-microsecond digits truncated).
TEST_F(PgFaultsTest, ArrowTypesWithoutMetadataGetTheirPostgresTypes) {
  const std::vector<std::string> expected_types = {
      "id bigint not null",       "u32 bigint",
      "u64 numeric(20,0)",        "big_text text",
      "t time without time zone", "ts timestamp with time zone",
      "amount numeric(12,3)"};
  const std::vector<std::string> expected_rows = {
      "1|4294967294|18446744073709551614|large-1-\u00e9|12:34:57.123456|2024-01-03 "
      "03:04:05.123456|-1000.789",
      "2|4294967293|18446744073709551613|large-2-\u00e9|12:34:58.123456|2024-01-04 "
      "03:04:05.123456|2000.789",
      "3|4294967292|18446744073709551612|large-3-\u00e9|12:34:59.123456|2024-01-05 "
      "03:04:05.123456|-3000.789"};
  for (const std::string method : {"copy", "insert"}) {
    SCOPED_TRACE(method);
    PipelineSpec spec;
    spec.name = "e2e_arrow_" + method;
    spec.source_use = "test-gen";
    spec.source_config = "{rows: 3, batch_rows: 2, columns: arrow_types}";
    spec.streams = "    - name: public.typed\n";
    spec.dest_schema = "raw_" + method;
    spec.dest_extra = "load_method: " + method;
    const RunOutput r = Run(WritePipeline(spec));
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    const std::string table = "raw_" + method + ".typed";
    EXPECT_EQ(dst_.ColumnTypes(table), expected_types);
    EXPECT_EQ(dst_.SortedRows(
                  "SELECT id, u32, u64, big_text, t, ts AT TIME ZONE 'UTC', amount FROM " + table),
              expected_rows);
  }
}

}  // namespace
}  // namespace rapidbyte::e2e
