// SqliteSession: SqlSession over one sqlite3 connection (SPEC §6.1): WAL journal,
// synchronous=FULL, a 5 s busy timeout, `$N` parameters bound by name. Tables live in the
// main schema, so `$S.` expands to nothing. [host]
#pragma once

#include <memory>
#include <string>

#include "state/sql_session.h"

struct sqlite3;

namespace rapidbyte::state {

/// Not thread-safe (SharedSession serialises callers); the connection is opened without
/// SQLite's own mutexes for that reason.
class SqliteSession final : public SqlSession {
 public:
  /// Open (creating) the database file at `path`, or ":memory:" for a private in-memory one.
  /// The parent directory must exist.
  static Result<std::unique_ptr<SqliteSession>> Open(const std::string& path);

  SqliteSession(const SqliteSession&) = delete;
  SqliteSession& operator=(const SqliteSession&) = delete;
  ~SqliteSession() override;

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  Result<SqlResult> Run(std::string_view sql, std::span<const SqlParam> params) override;
  Status RunScript(std::string_view sql) override;
  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

 private:
  SqliteSession(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  /// The connection's last error as a Status naming the file.
  Status LastError(int rc, std::string_view what) const;
  Status Configure();

  sqlite3* db_;
  std::string path_;
};

}  // namespace rapidbyte::state
