// SqlStateBackend: stream cursors, connector key/value state and reset (see
// sql_state_backend.h).
#include "state/sql_row_reader.h"
#include "state/sql_state_backend.h"
#include "state/state_util.h"

namespace rapidbyte::state {
namespace {

constexpr std::string_view kCursorColumns =
    "pipeline, stream, state_id, cursor_field, cursor_type, cursor_value, cursor_boundary, "
    "position_run_id, position_seq, updated_at";

constexpr std::string_view kValueKey =
    "pipeline = $1 AND scope = $2 AND scope_key = $3 AND key = $4";

Result<CursorRecord> ReadCursor(const SqlRow& row) {
  RowReader r(row);
  CursorRecord c;
  c.pipeline = r.Text();
  c.stream = r.Text();
  c.state_id = r.Text();
  c.cursor_field = r.Text();
  c.cursor_type = r.Text();
  c.cursor_value = r.Text();
  c.cursor_boundary = r.Text();
  c.position_run_id = r.Int();
  c.position_seq = r.Int();
  c.updated_at = r.Text();
  RB_RETURN_NOT_OK(r.status());
  return c;
}

/// $1..$4: the connector_state primary key.
std::vector<SqlParam> ValueKeyParams(const std::string& pipeline, Scope scope,
                                     const std::string& scope_key, const std::string& key) {
  return {SqlParam::Text(pipeline), SqlParam::Text(std::string(ScopeName(scope))),
          SqlParam::Text(scope_key), SqlParam::Text(key)};
}

}  // namespace

Result<std::optional<CursorRecord>> SqlStateBackend::GetCursor(const std::string& pipeline,
                                                               const std::string& stream) {
  SqlParam params[] = {SqlParam::Text(pipeline), SqlParam::Text(stream)};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT " + std::string(kCursorColumns) +
                              " FROM $S.sync_cursors WHERE pipeline = $1 AND stream = $2",
                          params));
  if (result.rows.empty()) return std::optional<CursorRecord>();
  RB_ASSIGN_OR_RETURN(CursorRecord cursor, ReadCursor(result.rows[0]));
  return std::optional<CursorRecord>(std::move(cursor));
}

Result<CursorRecord> SqlStateBackend::EnsureCursor(const std::string& pipeline,
                                                   const std::string& stream,
                                                   const std::string& cursor_field) {
  // Insert-if-absent, then read: concurrent callers agree on whichever row won.
  RB_ASSIGN_OR_RETURN(std::string state_id, NewUuid());
  SqlParam params[] = {SqlParam::Text(pipeline), SqlParam::Text(stream), SqlParam::Text(state_id),
                       SqlParam::TextOrNull(cursor_field), SqlParam::Text(NowIso8601())};
  RB_RETURN_NOT_OK(Run("INSERT INTO $S.sync_cursors (pipeline, stream, state_id, cursor_field, "
                       "updated_at) VALUES ($1, $2, $3, $4, $5) "
                       "ON CONFLICT (pipeline, stream) DO NOTHING",
                       params)
                       .status());
  RB_ASSIGN_OR_RETURN(std::optional<CursorRecord> cursor, GetCursor(pipeline, stream));
  if (!cursor) {
    return Status::Aborted("state: the cursor of stream '" + stream + "' (pipeline '" +
                           pipeline + "') was removed while it was being created");
  }
  return std::move(*cursor);
}

Status SqlStateBackend::SaveCursor(const CursorRecord& record) {
  SqlParam params[] = {SqlParam::TextOrNull(record.cursor_field),
                       SqlParam::TextOrNull(record.cursor_type),
                       SqlParam::TextOrNull(record.cursor_value),
                       SqlParam::TextOrNull(record.cursor_boundary),
                       SqlParam::Int(record.position_run_id),
                       SqlParam::Int(record.position_seq),
                       SqlParam::Text(NowIso8601()),
                       SqlParam::Text(record.pipeline),
                       SqlParam::Text(record.stream),
                       SqlParam::Text(record.state_id)};
  RB_ASSIGN_OR_RETURN(
      SqlResult result,
      Run("UPDATE $S.sync_cursors SET cursor_field = $1, cursor_type = $2, cursor_value = $3, "
          "cursor_boundary = $4, position_run_id = $5, position_seq = $6, updated_at = $7 "
          "WHERE pipeline = $8 AND stream = $9 AND state_id = $10",
          params));
  if (result.affected == 0) {
    return Status::FailedPrecondition(
        "state: the cursor of stream '" + record.stream + "' (pipeline '" + record.pipeline +
        "') was not saved: its state_id " + record.state_id +
        " is no longer current (the state was reset)");
  }
  return Status::OK();
}

Result<std::vector<CursorRecord>> SqlStateBackend::ListCursors(const std::string& pipeline) {
  SqlParam params[] = {SqlParam::Text(pipeline)};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT " + std::string(kCursorColumns) +
                              " FROM $S.sync_cursors WHERE pipeline = $1 ORDER BY stream",
                          params));
  std::vector<CursorRecord> cursors;
  for (const SqlRow& row : result.rows) {
    RB_ASSIGN_OR_RETURN(CursorRecord cursor, ReadCursor(row));
    cursors.push_back(std::move(cursor));
  }
  return cursors;
}

Result<std::optional<std::string>> SqlStateBackend::GetValue(const std::string& pipeline,
                                                             Scope scope,
                                                             const std::string& scope_key,
                                                             const std::string& key) {
  std::vector<SqlParam> params = ValueKeyParams(pipeline, scope, scope_key, key);
  RB_ASSIGN_OR_RETURN(
      SqlResult result,
      Run("SELECT value FROM $S.connector_state WHERE " + std::string(kValueKey), params));
  if (result.rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(result.rows[0][0].value_or(""));
}

Status SqlStateBackend::PutValue(const std::string& pipeline, Scope scope,
                                 const std::string& scope_key, const std::string& key,
                                 const std::string& value) {
  std::vector<SqlParam> params = ValueKeyParams(pipeline, scope, scope_key, key);
  params.push_back(SqlParam::Blob(value));
  params.push_back(SqlParam::Text(NowIso8601()));
  return Run("INSERT INTO $S.connector_state (pipeline, scope, scope_key, key, value, "
             "updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
             "ON CONFLICT (pipeline, scope, scope_key, key) DO UPDATE SET "
             "value = excluded.value, updated_at = excluded.updated_at",
             params)
      .status();
}

Result<bool> SqlStateBackend::CompareAndSetValue(const std::string& pipeline, Scope scope,
                                                 const std::string& scope_key,
                                                 const std::string& key,
                                                 const std::optional<std::string>& expected,
                                                 const std::string& value) {
  // One conditional statement decides; the transaction (SQLite: BEGIN IMMEDIATE) makes it
  // wait for, not race with, writers in other processes.
  std::vector<SqlParam> params = ValueKeyParams(pipeline, scope, scope_key, key);
  params.push_back(SqlParam::Blob(value));
  params.push_back(SqlParam::Text(NowIso8601()));
  std::string sql;
  if (expected) {
    params.push_back(SqlParam::Blob(*expected));
    sql = "UPDATE $S.connector_state SET value = $5, updated_at = $6 WHERE " +
          std::string(kValueKey) + " AND value = $7";
  } else {
    sql = "INSERT INTO $S.connector_state (pipeline, scope, scope_key, key, value, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) "
          "ON CONFLICT (pipeline, scope, scope_key, key) DO NOTHING";
  }
  std::lock_guard<std::mutex> guard(shared_->mu);
  SqlTransaction txn(*shared_->session);
  RB_RETURN_NOT_OK(txn.Begin());
  RB_ASSIGN_OR_RETURN(SqlResult result, shared_->session->Run(sql, params));
  RB_RETURN_NOT_OK(txn.Commit());
  return result.affected == 1;
}

Result<std::vector<std::int64_t>> SqlStateBackend::CountValues(const std::string& pipeline) {
  SqlParam params[] = {SqlParam::Text(pipeline)};
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT scope, COUNT(*) FROM $S.connector_state WHERE pipeline = $1 "
                          "GROUP BY scope",
                          params));
  std::vector<std::int64_t> counts(3, 0);
  for (const SqlRow& row : result.rows) {
    RowReader r(row);
    std::string scope_name = r.Text();
    std::int64_t count = r.Int();
    RB_RETURN_NOT_OK(r.status());
    RB_ASSIGN_OR_RETURN(Scope scope, ParseScope(scope_name));
    counts[static_cast<std::size_t>(scope)] = count;
  }
  return counts;
}

Result<StateBackend::ValueUsage> SqlStateBackend::ScopeUsage(const std::string& pipeline,
                                                              Scope scope,
                                                              const std::string& scope_key,
                                                              const std::string& except_key) {
  // length() of a BLOB (SQLite) or bytea (PostgreSQL) is its size in bytes on both.
  std::vector<SqlParam> params = ValueKeyParams(pipeline, scope, scope_key, except_key);
  RB_ASSIGN_OR_RETURN(SqlResult result,
                      Run("SELECT COUNT(*), COALESCE(SUM(length(value)), 0) FROM "
                          "$S.connector_state WHERE pipeline = $1 AND scope = $2 AND "
                          "scope_key = $3 AND key <> $4",
                          params));
  ValueUsage usage;
  if (result.rows.empty()) return usage;
  RowReader r(result.rows[0]);
  usage.keys = r.Int();
  usage.bytes = r.Int();
  RB_RETURN_NOT_OK(r.status());
  return usage;
}

Result<ResetCounts> SqlStateBackend::Reset(const std::string& pipeline,
                                           const std::optional<std::string>& stream) {
  std::vector<SqlParam> cursor_params = {SqlParam::Text(pipeline)};
  std::string cursor_sql = "DELETE FROM $S.sync_cursors WHERE pipeline = $1";
  std::vector<SqlParam> state_params = cursor_params;
  std::string state_sql = "DELETE FROM $S.connector_state WHERE pipeline = $1";
  if (stream) {
    // One stream: its cursor and its stream-scope keys (SPEC §3.6).
    cursor_params.push_back(SqlParam::Text(*stream));
    cursor_sql += " AND stream = $2";
    state_params.push_back(SqlParam::Text(*stream));
    state_params.push_back(SqlParam::Text(std::string(ScopeName(Scope::kStream))));
    state_sql += " AND scope_key = $2 AND scope = $3";
  }
  std::lock_guard<std::mutex> guard(shared_->mu);
  SqlSession& session = *shared_->session;
  SqlTransaction txn(session);
  RB_RETURN_NOT_OK(txn.Begin());
  ResetCounts counts;
  RB_ASSIGN_OR_RETURN(SqlResult cursors, session.Run(cursor_sql, cursor_params));
  RB_ASSIGN_OR_RETURN(SqlResult keys, session.Run(state_sql, state_params));
  RB_RETURN_NOT_OK(txn.Commit());
  counts.cursors = cursors.affected;
  counts.connector_state_keys = keys.affected;
  return counts;
}

}  // namespace rapidbyte::state
