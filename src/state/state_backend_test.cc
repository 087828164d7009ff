// StateBackend against SQLite and PostgreSQL: migrations and schema version, run history
// and stream cursors (SPEC §6.1, §6.2).
#include <regex>

#include <unistd.h>

#include "state/state_backend_test_fixture.h"
#include "state/state_util.h"

namespace rapidbyte::state::testing {
namespace {

const std::regex kIsoTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

class StateSchemaTest : public StateBackendTest {
 protected:
  std::vector<std::string> Columns(const std::string& table) const {
    if (IsSqlite()) return RawQuery("SELECT name FROM pragma_table_info('" + table + "')");
    return RawQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '" +
                    spec_.schema + "' AND table_name = '" + table +
                    "' ORDER BY ordinal_position");
  }
};
class StateRunsTest : public StateBackendTest {};
class StateCursorsTest : public StateBackendTest {};

TEST_P(StateSchemaTest, MigrationCreatesTablesAndVersion) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(int version, backend->SchemaVersion());
  EXPECT_EQ(version, kSchemaVersion);
  EXPECT_EQ(RawQuery("SELECT value FROM $S.rb_meta WHERE key = 'schema_version'"),
            std::vector<std::string>{std::to_string(kSchemaVersion)});
  using V = std::vector<std::string>;
  EXPECT_EQ(Columns("rb_meta"), (V{"key", "value"}));
  EXPECT_EQ(Columns("sync_runs"),
            (V{"id", "pipeline", "status", "started_at", "finished_at", "records_read",
               "records_written", "records_skipped", "records_failed", "bytes_read",
               "bytes_written", "retries", "error_message", "hostname", "pid",
               "rapidbyte_version"}));
  EXPECT_EQ(Columns("sync_run_streams"),
            (V{"run_id", "stream", "status", "attempts", "records_read", "records_written",
               "records_skipped", "records_failed", "bytes_read", "bytes_written", "started_at",
               "finished_at", "error_category", "error_code", "error_message"}));
  EXPECT_EQ(Columns("sync_cursors"),
            (V{"pipeline", "stream", "state_id", "cursor_field", "cursor_type", "cursor_value",
               "cursor_boundary", "position_run_id", "position_seq", "updated_at"}));
  EXPECT_EQ(Columns("connector_state"),
            (V{"pipeline", "scope", "scope_key", "key", "value", "updated_at"}));
  if (IsSqlite()) {
    EXPECT_EQ(RawQuery("PRAGMA journal_mode"), V{"wal"});
    EXPECT_EQ(backend->Describe(), "sqlite " + spec_.connection);
  } else {
    EXPECT_EQ(RawQuery("SELECT data_type FROM information_schema.columns WHERE table_schema = '" +
                       spec_.schema +
                       "' AND column_name IN ('started_at', 'value', 'pid') AND "
                       "table_name IN ('sync_runs', 'connector_state') ORDER BY column_name"),
              (V{"bigint", "timestamp with time zone", "bytea"}));
  }
  // Opening again finds the current version and changes nothing.
  backend.reset();
  ASSERT_OK_AND_ASSIGN(auto again, Open());
  ASSERT_OK_AND_ASSIGN(int version_again, again->SchemaVersion());
  EXPECT_EQ(version_again, kSchemaVersion);
}

TEST_P(StateSchemaTest, NewerSchemaVersionIsRefused) {
  { ASSERT_OK_AND_ASSIGN(auto backend, Open()); }
  RawQuery("UPDATE $S.rb_meta SET value = '3' WHERE key = 'schema_version'");
  Result<std::unique_ptr<StateBackend>> refused = Open();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "state database schema version 3 is newer than this rapidbyte supports (" +
                std::to_string(kSchemaVersion) + "); upgrade rapidbyte");
}

TEST_P(StateRunsTest, StartFinishListNewestFirst) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(std::int64_t first, backend->StartRun("runs"));
  ASSERT_OK_AND_ASSIGN(std::int64_t second, backend->StartRun("runs"));
  ASSERT_OK_AND_ASSIGN(std::int64_t other, backend->StartRun("other"));
  ASSERT_OK_AND_ASSIGN(std::int64_t third, backend->StartRun("runs"));
  EXPECT_LT(first, second);
  EXPECT_LT(other, third);
  Counters counters{10, 9, 1, 2, 1000, 900};
  ASSERT_OK(backend->FinishRun(first, RunStatus::kFailed, counters, 2, "boom: bad row"));
  ASSERT_OK(backend->FinishRun(second, RunStatus::kCompleted, Counters{}, 0, ""));

  ASSERT_OK_AND_ASSIGN(auto runs, backend->ListRuns("runs", 10));
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, third);
  EXPECT_EQ(runs[1].id, second);
  EXPECT_EQ(runs[2].id, first);
  EXPECT_EQ(runs[0].status, RunStatus::kRunning);
  EXPECT_TRUE(runs[0].finished_at.empty());
  EXPECT_EQ(runs[0].pid, static_cast<std::int64_t>(getpid()));
  EXPECT_EQ(runs[0].hostname, HostName());
  EXPECT_FALSE(runs[0].rapidbyte_version.empty());
  EXPECT_TRUE(std::regex_match(runs[0].started_at, kIsoTime)) << runs[0].started_at;

  const RunRecord& failed = runs[2];
  EXPECT_EQ(failed.pipeline, "runs");
  EXPECT_EQ(failed.status, RunStatus::kFailed);
  EXPECT_TRUE(std::regex_match(failed.finished_at, kIsoTime)) << failed.finished_at;
  EXPECT_EQ(failed.counters.records_read, 10);
  EXPECT_EQ(failed.counters.records_written, 9);
  EXPECT_EQ(failed.counters.records_skipped, 1);
  EXPECT_EQ(failed.counters.records_failed, 2);
  EXPECT_EQ(failed.counters.bytes_read, 1000);
  EXPECT_EQ(failed.counters.bytes_written, 900);
  EXPECT_EQ(failed.retries, 2);
  EXPECT_EQ(failed.error_message, "boom: bad row");
  EXPECT_EQ(runs[1].status, RunStatus::kCompleted);
  EXPECT_EQ(runs[1].error_message, "");

  ASSERT_OK_AND_ASSIGN(auto limited, backend->ListRuns("runs", 2));
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[1].id, second);
  ASSERT_OK_AND_ASSIGN(auto none, backend->ListRuns("nobody", 10));
  EXPECT_TRUE(none.empty());

  Status missing = backend->FinishRun(999999, RunStatus::kCompleted, Counters{}, 0, "");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
}

TEST_P(StateRunsTest, MarkInterruptedOnlyTouchesRunningRowsOfThePipeline) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(std::int64_t done, backend->StartRun("mi"));
  ASSERT_OK(backend->FinishRun(done, RunStatus::kCompleted, Counters{}, 0, ""));
  ASSERT_OK_AND_ASSIGN(std::int64_t crashed, backend->StartRun("mi"));
  ASSERT_OK_AND_ASSIGN(std::int64_t elsewhere, backend->StartRun("mi-other"));

  ASSERT_OK_AND_ASSIGN(std::int64_t marked, backend->MarkInterrupted("mi"));
  EXPECT_EQ(marked, 1);
  ASSERT_OK_AND_ASSIGN(auto runs, backend->ListRuns("mi", 10));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, crashed);
  EXPECT_EQ(runs[0].status, RunStatus::kInterrupted);
  EXPECT_EQ(runs[0].error_message, kInterruptedMessage);
  EXPECT_TRUE(std::regex_match(runs[0].finished_at, kIsoTime));
  EXPECT_EQ(runs[1].status, RunStatus::kCompleted);
  ASSERT_OK_AND_ASSIGN(auto others, backend->ListRuns("mi-other", 10));
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0].id, elsewhere);
  EXPECT_EQ(others[0].status, RunStatus::kRunning);
  ASSERT_OK_AND_ASSIGN(std::int64_t again, backend->MarkInterrupted("mi"));
  EXPECT_EQ(again, 0);
}

TEST_P(StateRunsTest, PutRunStreamUpserts) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(std::int64_t run, backend->StartRun("rs"));
  RunStreamRecord users;
  users.run_id = run;
  users.stream = "users";
  users.attempts = 1;
  users.started_at = "2026-03-01T10:00:00.250Z";
  users.error_category = "transient_network";
  users.error_code = "CONNECTION_RESET";
  users.error_message = "reset";
  users.status = StreamStatus::kFailed;
  ASSERT_OK(backend->PutRunStream(users));
  users.attempts = 2;
  users.status = StreamStatus::kCompleted;
  users.counters = Counters{5, 5, 0, 0, 50, 60};
  users.finished_at = "2026-03-01T10:00:07.500Z";
  users.error_category.clear();
  users.error_code.clear();
  users.error_message.clear();
  ASSERT_OK(backend->PutRunStream(users));
  RunStreamRecord accounts;
  accounts.run_id = run;
  accounts.stream = "accounts";
  accounts.status = StreamStatus::kNotStarted;
  ASSERT_OK(backend->PutRunStream(accounts));

  ASSERT_OK_AND_ASSIGN(auto streams, backend->ListRunStreams(run));
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].stream, "accounts");
  EXPECT_EQ(streams[0].status, StreamStatus::kNotStarted);
  EXPECT_EQ(streams[0].started_at, "");
  const RunStreamRecord& got = streams[1];
  EXPECT_EQ(got.run_id, run);
  EXPECT_EQ(got.attempts, 2);
  EXPECT_EQ(got.status, StreamStatus::kCompleted);
  EXPECT_EQ(got.counters.records_read, 5);
  EXPECT_EQ(got.counters.bytes_written, 60);
  // Milliseconds survive both backends (PostgreSQL prints 07.5, read back as 07.500).
  EXPECT_EQ(got.started_at, "2026-03-01T10:00:00.250Z");
  EXPECT_EQ(got.finished_at, "2026-03-01T10:00:07.500Z");
  EXPECT_EQ(got.error_code, "");
  EXPECT_EQ(got.error_message, "");
  ASSERT_OK_AND_ASSIGN(auto none, backend->ListRunStreams(run + 1000));
  EXPECT_TRUE(none.empty());
}

TEST_P(StateCursorsTest, EnsureCursorCreatesOnceThenReturnsTheSameRow) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(auto absent, backend->GetCursor("cur", "users"));
  EXPECT_FALSE(absent.has_value());
  ASSERT_OK_AND_ASSIGN(CursorRecord created, backend->EnsureCursor("cur", "users", "id"));
  EXPECT_TRUE(std::regex_match(created.state_id, kUuid)) << created.state_id;
  EXPECT_EQ(created.pipeline, "cur");
  EXPECT_EQ(created.stream, "users");
  EXPECT_EQ(created.cursor_field, "id");
  EXPECT_EQ(created.cursor_value, "");
  EXPECT_EQ(created.cursor_boundary, "");
  EXPECT_EQ(created.position_run_id, 0);
  EXPECT_TRUE(std::regex_match(created.updated_at, kIsoTime));
  ASSERT_OK_AND_ASSIGN(CursorRecord again, backend->EnsureCursor("cur", "users", "other"));
  EXPECT_EQ(again.state_id, created.state_id);
  EXPECT_EQ(again.cursor_field, "id");  // an existing row is returned as stored
  ASSERT_OK_AND_ASSIGN(CursorRecord orders, backend->EnsureCursor("cur", "orders", ""));
  EXPECT_NE(orders.state_id, created.state_id);
  ASSERT_OK_AND_ASSIGN(auto all, backend->ListCursors("cur"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].stream, "orders");
  EXPECT_EQ(all[1].stream, "users");
}

TEST_P(StateCursorsTest, SaveCursorRoundTrips) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(CursorRecord cursor, backend->EnsureCursor("save", "users", "id"));
  cursor.cursor_type = "int64";
  cursor.cursor_value = R"({"type":"int64","value":42})";
  cursor.cursor_boundary = R"({"id":42,"pk":[7]})";
  cursor.position_run_id = 12;
  cursor.position_seq = 3;
  ASSERT_OK(backend->SaveCursor(cursor));
  ASSERT_OK_AND_ASSIGN(auto got, backend->GetCursor("save", "users"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->state_id, cursor.state_id);
  EXPECT_EQ(got->cursor_field, "id");
  EXPECT_EQ(got->cursor_type, "int64");
  EXPECT_EQ(got->cursor_value, cursor.cursor_value);
  EXPECT_EQ(got->cursor_boundary, cursor.cursor_boundary);
  EXPECT_EQ(got->position_run_id, 12);
  EXPECT_EQ(got->position_seq, 3);
  EXPECT_TRUE(std::regex_match(got->updated_at, kIsoTime));
}

TEST_P(StateCursorsTest, SaveCursorWithStaleStateIdAfterResetFails) {
  ASSERT_OK_AND_ASSIGN(auto backend, Open());
  ASSERT_OK_AND_ASSIGN(CursorRecord before, backend->EnsureCursor("stale", "users", "id"));
  ASSERT_OK_AND_ASSIGN(ResetCounts counts, backend->Reset("stale", std::string("users")));
  EXPECT_EQ(counts.cursors, 1);
  before.cursor_value = R"({"type":"int64","value":1})";
  Status stale = backend->SaveCursor(before);
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition) << stale.ToString();
  EXPECT_NE(stale.message().find("no longer current"), std::string::npos) << stale.message();
  ASSERT_OK_AND_ASSIGN(CursorRecord after, backend->EnsureCursor("stale", "users", "id"));
  EXPECT_NE(after.state_id, before.state_id);
  EXPECT_EQ(after.cursor_value, "");  // the reset position is gone
  after.cursor_value = before.cursor_value;
  ASSERT_OK(backend->SaveCursor(after));
}

INSTANTIATE_TEST_SUITE_P(Backends, StateSchemaTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);
INSTANTIATE_TEST_SUITE_P(Backends, StateRunsTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);
INSTANTIATE_TEST_SUITE_P(Backends, StateCursorsTest,
                         ::testing::Values(BackendKind::kSqlite, BackendKind::kPostgres),
                         KindName);

}  // namespace
}  // namespace rapidbyte::state::testing
