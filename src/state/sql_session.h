// SqlSession: the little SQL surface the shared state backend needs, implemented once for
// SQLite and once for PostgreSQL. Statements use `$1`, `$2`... placeholders and write table
// names as `$S.table`; the session expands `$S.` to its schema prefix. Results come back as
// text cells normalised across both databases: integers in decimal, timestamps as
// ISO-8601 UTC ("2026-03-01T10:00:00Z"), blobs as their raw bytes, NULL as std::nullopt.
// [host]
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::state {

/// One bound statement parameter.
struct SqlParam {
  enum class Kind { kNull, kText, kInt, kBlob };
  Kind kind = Kind::kNull;
  std::string text;  // kText and kBlob
  std::int64_t integer = 0;

  static SqlParam Null() { return {}; }
  static SqlParam Text(std::string value) { return {Kind::kText, std::move(value), 0}; }
  /// Empty text becomes NULL (optional columns store "nothing" as NULL).
  static SqlParam TextOrNull(const std::string& value) {
    return value.empty() ? Null() : Text(value);
  }
  static SqlParam Int(std::int64_t value) { return {Kind::kInt, {}, value}; }
  static SqlParam Blob(std::string bytes) { return {Kind::kBlob, std::move(bytes), 0}; }
};

using SqlRow = std::vector<std::optional<std::string>>;

struct SqlResult {
  std::vector<SqlRow> rows;
  /// Rows inserted, updated or deleted by the statement.
  std::int64_t affected = 0;
};

enum class SqlDialect { kSqlite, kPostgres };

/// Not thread-safe: callers serialise through SharedSession's mutex.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual SqlDialect dialect() const = 0;
  /// Run one statement with parameters.
  virtual Result<SqlResult> Run(std::string_view sql, std::span<const SqlParam> params = {}) = 0;
  /// Run a script of several statements without parameters (migrations).
  virtual Status RunScript(std::string_view sql) = 0;
  /// Start a transaction that holds the write lock from its first statement, so that
  /// read-then-write sequences are atomic across processes (SQLite: BEGIN IMMEDIATE).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  /// Best effort; called on the error path.
  virtual void Rollback() = 0;
};

/// A session and the mutex that serialises its users (the backend and its locks share it).
struct SharedSession {
  std::mutex mu;
  std::unique_ptr<SqlSession> session;
};

/// Begin/Commit guard: rolls back when destroyed without Commit().
class SqlTransaction {
 public:
  explicit SqlTransaction(SqlSession& session) : session_(session) {}
  SqlTransaction(const SqlTransaction&) = delete;
  SqlTransaction& operator=(const SqlTransaction&) = delete;
  ~SqlTransaction() {
    if (open_) session_.Rollback();
  }
  Status Begin() {
    RB_RETURN_NOT_OK(session_.Begin());
    open_ = true;
    return Status::OK();
  }
  Status Commit() {
    Status status = session_.Commit();
    if (status.ok()) open_ = false;  // a failed COMMIT may leave the transaction open
    return status;
  }

 private:
  SqlSession& session_;
  bool open_ = false;
};

}  // namespace rapidbyte::state
