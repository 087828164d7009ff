// SqliteSession (see sqlite_session.h).
#include "state/sqlite/sqlite_session.h"

#include <sqlite3.h>

#include <string>

namespace rapidbyte::state {
namespace {

constexpr int kBusyTimeoutMs = 5000;  // SPEC §6.1

/// `$S.table` -> `table`: SQLite keeps the state tables in the main schema.
std::string ExpandSchema(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql.compare(i, 3, "$S.") == 0) {
      i += 2;
      continue;
    }
    out += sql[i];
  }
  return out;
}

StatusCode CodeFor(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kUnavailable;  // another process kept the database busy past 5 s
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kDataLoss;
    case SQLITE_FULL:
      return StatusCode::kResourceExhausted;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return StatusCode::kPermissionDenied;
    case SQLITE_CANTOPEN:
      return StatusCode::kFailedPrecondition;
    default:
      return StatusCode::kInternal;
  }
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

}  // namespace

Result<std::unique_ptr<SqliteSession>> SqliteSession::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteSession> session(new SqliteSession(db, path));
  if (rc != SQLITE_OK) {
    if (db == nullptr) return Status::ResourceExhausted("state database: out of memory");
    return session->LastError(rc, "cannot open");
  }
  RB_RETURN_NOT_OK(session->Configure());
  return session;
}

SqliteSession::~SqliteSession() { sqlite3_close_v2(db_); }

Status SqliteSession::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  int rc = sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (rc != SQLITE_OK) return LastError(rc, "cannot set the busy timeout");
  // WAL lets readers (state show) run beside a writer; FULL syncs every commit so a returned
  // write survives power loss (SPEC §6.1). An in-memory database has no journal to switch.
  RB_RETURN_NOT_OK(RunScript("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"));
  return Status::OK();
}

Status SqliteSession::LastError(int rc, std::string_view what) const {
  return Status(CodeFor(rc), "state database " + path_ + ": " + std::string(what) + ": " +
                                 sqlite3_errmsg(db_));
}

Result<SqlResult> SqliteSession::Run(std::string_view sql, std::span<const SqlParam> params) {
  std::string text = ExpandSchema(sql);
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size() + 1), &raw, &tail);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) return LastError(rc, "cannot prepare '" + text + "'");
  if (!stmt) return Status::Internal("state database: empty statement");
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::string name = "$" + std::to_string(i + 1);
    int index = sqlite3_bind_parameter_index(stmt.get(), name.c_str());
    if (index == 0) continue;  // a parameter the statement does not use
    const SqlParam& p = params[i];
    switch (p.kind) {
      case SqlParam::Kind::kNull:
        rc = sqlite3_bind_null(stmt.get(), index);
        break;
      case SqlParam::Kind::kInt:
        rc = sqlite3_bind_int64(stmt.get(), index, p.integer);
        break;
      case SqlParam::Kind::kText:
        rc = sqlite3_bind_text64(stmt.get(), index, p.text.data(), p.text.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8);
        break;
      case SqlParam::Kind::kBlob:
        rc = sqlite3_bind_blob64(stmt.get(), index, p.text.data(), p.text.size(),
                                 SQLITE_TRANSIENT);
        break;
    }
    if (rc != SQLITE_OK) return LastError(rc, "cannot bind " + name);
  }
  SqlResult result;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    int columns = sqlite3_column_count(stmt.get());
    SqlRow row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      int type = sqlite3_column_type(stmt.get(), c);
      if (type == SQLITE_NULL) {
        row.emplace_back();
        continue;
      }
      const void* data = type == SQLITE_BLOB ? sqlite3_column_blob(stmt.get(), c)
                                             : sqlite3_column_text(stmt.get(), c);
      int size = sqlite3_column_bytes(stmt.get(), c);
      // An empty blob has a null pointer; only non-empty cells are copied from it.
      row.emplace_back(size > 0 ? std::string(static_cast<const char*>(data),
                                              static_cast<std::size_t>(size))
                                : std::string());
    }
    result.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return LastError(rc, "statement failed");
  if (!sqlite3_stmt_readonly(stmt.get())) result.affected = sqlite3_changes64(db_);
  return result;
}

Status SqliteSession::RunScript(std::string_view sql) {
  std::string text = ExpandSchema(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return LastError(rc, "script failed");
  return Status::OK();
}

Status SqliteSession::Begin() { return RunScript("BEGIN IMMEDIATE"); }
Status SqliteSession::Commit() { return RunScript("COMMIT"); }
void SqliteSession::Rollback() {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace rapidbyte::state
