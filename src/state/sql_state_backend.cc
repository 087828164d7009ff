// SqlStateBackend: construction, schema version, locks and run history (see
// sql_state_backend.h). Cursors, connector state and reset are in sql_state_cursors.cc.
#include "state/sql_state_backend.h"

#include <unistd.h>

#include "state/migrations.h"
#include "state/sql_row_reader.h"
#include "state/state_util.h"

namespace rapidbyte::state {
namespace {

constexpr std::string_view kRunColumns =
    "id, pipeline, status, started_at, finished_at, records_read, records_written, "
    "records_skipped, records_failed, bytes_read, bytes_written, retries, error_message, "
    "hostname, pid, rapidbyte_version";

constexpr std::string_view kRunStreamColumns =
    "run_id, stream, status, attempts, records_read, records_written, records_skipped, "
    "records_failed, bytes_read, bytes_written, started_at, finished_at, error_category, "
    "error_code, error_message";

Counters ReadCounters(RowReader& r) {
  Counters c;
  c.records_read = r.Int();
  c.records_written = r.Int();
  c.records_skipped = r.Int();
  c.records_failed = r.Int();
  c.bytes_read = r.Int();
  c.bytes_written = r.Int();
  return c;
}

void AppendCounters(const Counters& c, std::vector<SqlParam>& params) {
  for (std::int64_t v : {c.records_read, c.records_written, c.records_skipped, c.records_failed,
                         c.bytes_read, c.bytes_written}) {
    params.push_back(SqlParam::Int(v));
  }
}

Result<RunRecord> ReadRun(const SqlRow& row) {
  RowReader r(row);
  RunRecord run;
  run.id = r.Int();
  run.pipeline = r.Text();
  std::string status = r.Text();
  run.started_at = r.Text();
  run.finished_at = r.Text();
  run.counters = ReadCounters(r);
  run.retries = r.Int();
  run.error_message = r.Text();
  run.hostname = r.Text();
  run.pid = r.Int();
  run.rapidbyte_version = r.Text();
  RB_RETURN_NOT_OK(r.status());
  RB_ASSIGN_OR_RETURN(run.status, ParseRunStatus(status));
  return run;
}

Result<RunStreamRecord> ReadRunStream(const SqlRow& row) {
  RowReader r(row);
  RunStreamRecord s;
  s.run_id = r.Int();
  s.stream = r.Text();
  std::string status = r.Text();
  s.attempts = r.Int();
  s.counters = ReadCounters(r);
  s.started_at = r.Text();
  s.finished_at = r.Text();
  s.error_category = r.Text();
  s.error_code = r.Text();
  s.error_message = r.Text();
  RB_RETURN_NOT_OK(r.status());
  RB_ASSIGN_OR_RETURN(s.status, ParseStreamStatus(status));
  return s;
}

}  // namespace

SqlStateBackend::SqlStateBackend(std::string describe, std::shared_ptr<SharedSession> session,
                                 std::unique_ptr<LockProvider> locks)
    : describe_(std::move(describe)), shared_(std::move(session)), locks_(std::move(locks)) {}

Result<SqlResult> SqlStateBackend::Run(std::string_view sql, std::span<const SqlParam> params) {
  std::lock_guard<std::mutex> guard(shared_->mu);
  return shared_->session->Run(sql, params);
}

Result<int> SqlStateBackend::SchemaVersion() {
  std::lock_guard<std::mutex> guard(shared_->mu);
  return ReadSchemaVersion(*shared_->session);
}

Result<std::unique_ptr<PipelineLock>> SqlStateBackend::TryLock(const std::string& pipeline) {
  RB_ASSIGN_OR_RETURN(std::unique_ptr<PipelineLock> lock, locks_->TryAcquire(pipeline));
  if (lock) return lock;
  RB_ASSIGN_OR_RETURN(std::optional<RunRecord> running, NewestRunning(pipeline));
  return AlreadyRunningError(pipeline, running);
}

Result<bool> SqlStateBackend::IsLocked(const std::string& pipeline) {
  return locks_->IsHeld(pipeline);
}

Result<std::optional<RunRecord>> SqlStateBackend::NewestRunning(const std::string& pipeline) {
  SqlParam params[] = {SqlParam::Text(pipeline),
                       SqlParam::Text(std::string(RunStatusName(RunStatus::kRunning)))};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT " + std::string(kRunColumns) +
                              " FROM $S.sync_runs WHERE pipeline = $1 AND status = $2"
                              " ORDER BY id DESC LIMIT 1",
                          params));
  if (result.rows.empty()) return std::optional<RunRecord>();
  RB_ASSIGN_OR_RETURN(RunRecord run, ReadRun(result.rows[0]));
  return std::optional<RunRecord>(std::move(run));
}

Result<std::int64_t> SqlStateBackend::MarkInterrupted(const std::string& pipeline) {
  SqlParam params[] = {SqlParam::Text(std::string(RunStatusName(RunStatus::kInterrupted))),
                       SqlParam::Text(NowIso8601()),
                       SqlParam::Text(std::string(kInterruptedMessage)),
                       SqlParam::Text(pipeline),
                       SqlParam::Text(std::string(RunStatusName(RunStatus::kRunning)))};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("UPDATE $S.sync_runs SET status = $1, finished_at = $2, "
                          "error_message = $3 WHERE pipeline = $4 AND status = $5",
                          params));
  return result.affected;
}

Result<std::int64_t> SqlStateBackend::StartRun(const std::string& pipeline) {
  SqlParam params[] = {SqlParam::Text(pipeline),
                       SqlParam::Text(std::string(RunStatusName(RunStatus::kRunning))),
                       SqlParam::Text(NowIso8601()),
                       SqlParam::Text(HostName()),
                       SqlParam::Int(static_cast<std::int64_t>(getpid())),
                       SqlParam::Text(std::string(RapidbyteVersion()))};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("INSERT INTO $S.sync_runs (pipeline, status, started_at, hostname, "
                          "pid, rapidbyte_version) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                          params));
  if (result.rows.size() != 1) {
    return Status::Internal("state: inserting a run returned no id");
  }
  RowReader r(result.rows[0]);
  std::int64_t id = r.Int();
  RB_RETURN_NOT_OK(r.status());
  return id;
}

Status SqlStateBackend::FinishRun(std::int64_t run_id, RunStatus status,
                                  const Counters& counters, std::int64_t retries,
                                  const std::string& error_message) {
  std::vector<SqlParam> params = {SqlParam::Text(std::string(RunStatusName(status))),
                                  SqlParam::Text(NowIso8601())};
  AppendCounters(counters, params);
  params.push_back(SqlParam::Int(retries));
  params.push_back(SqlParam::TextOrNull(error_message));
  params.push_back(SqlParam::Int(run_id));
  RB_ASSIGN_OR_RETURN(
      SqlResult result,
      Run("UPDATE $S.sync_runs SET status = $1, finished_at = $2, records_read = $3, "
          "records_written = $4, records_skipped = $5, records_failed = $6, bytes_read = $7, "
          "bytes_written = $8, retries = $9, error_message = $10 WHERE id = $11",
          params));
  if (result.affected == 0) {
    return Status::NotFound("state: run #" + std::to_string(run_id) + " does not exist");
  }
  return Status::OK();
}

Status SqlStateBackend::PutRunStream(const RunStreamRecord& record) {
  std::vector<SqlParam> params = {SqlParam::Int(record.run_id), SqlParam::Text(record.stream),
                                  SqlParam::Text(std::string(StreamStatusName(record.status))),
                                  SqlParam::Int(record.attempts)};
  AppendCounters(record.counters, params);
  for (const std::string* text : {&record.started_at, &record.finished_at,
                                  &record.error_category, &record.error_code,
                                  &record.error_message}) {
    params.push_back(SqlParam::TextOrNull(*text));
  }
  return Run("INSERT INTO $S.sync_run_streams (" + std::string(kRunStreamColumns) +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                 " ON CONFLICT (run_id, stream) DO UPDATE SET status = excluded.status, "
                 "attempts = excluded.attempts, records_read = excluded.records_read, "
                 "records_written = excluded.records_written, "
                 "records_skipped = excluded.records_skipped, "
                 "records_failed = excluded.records_failed, bytes_read = excluded.bytes_read, "
                 "bytes_written = excluded.bytes_written, started_at = excluded.started_at, "
                 "finished_at = excluded.finished_at, "
                 "error_category = excluded.error_category, error_code = excluded.error_code, "
                 "error_message = excluded.error_message",
             params)
      .status();
}

Result<std::vector<RunRecord>> SqlStateBackend::ListRuns(const std::string& pipeline,
                                                         int limit) {
  std::vector<RunRecord> runs;
  if (limit <= 0) return runs;
  SqlParam params[] = {SqlParam::Text(pipeline), SqlParam::Int(limit)};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT " + std::string(kRunColumns) +
                              " FROM $S.sync_runs WHERE pipeline = $1 ORDER BY id DESC LIMIT $2",
                          params));
  for (const SqlRow& row : result.rows) {
    RB_ASSIGN_OR_RETURN(RunRecord run, ReadRun(row));
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<std::vector<RunStreamRecord>> SqlStateBackend::ListRunStreams(std::int64_t run_id) {
  SqlParam params[] = {SqlParam::Int(run_id)};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT " + std::string(kRunStreamColumns) +
                              " FROM $S.sync_run_streams WHERE run_id = $1 ORDER BY stream",
                          params));
  std::vector<RunStreamRecord> streams;
  for (const SqlRow& row : result.rows) {
    RB_ASSIGN_OR_RETURN(RunStreamRecord s, ReadRunStream(row));
    streams.push_back(std::move(s));
  }
  return streams;
}

}  // namespace rapidbyte::state
