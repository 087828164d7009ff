// PgSession: SqlSession over the host's own pgwire connection to the PostgreSQL state
// database (SPEC §6.1). Tables live in one schema (`$S.` expands to its quoted name);
// parameters go as extended-query parameters (never spliced into SQL); results are read as
// text and normalised: timestamptz to "2026-03-01T10:00:00Z", bytea to its bytes. [host]
#pragma once

#include <memory>
#include <string>

#include "pgwire/connection.h"
#include "state/postgres/pg_url.h"
#include "state/sql_session.h"

namespace rapidbyte::state {

/// Not thread-safe (SharedSession serialises callers).
class PgSession final : public SqlSession {
 public:
  /// Connect (TLS per url.sslmode) and authenticate. The schema need not exist yet.
  static Result<std::unique_ptr<PgSession>> Connect(const PgUrl& url, const std::string& schema);

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  Result<SqlResult> Run(std::string_view sql, std::span<const SqlParam> params) override;
  Status RunScript(std::string_view sql) override;
  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

 private:
  PgSession(std::unique_ptr<pgwire::Connection> connection, std::string schema_prefix,
            std::string where)
      : connection_(std::move(connection)),
        schema_prefix_(std::move(schema_prefix)),
        where_(std::move(where)) {}
  std::string Expand(std::string_view sql) const;

  std::unique_ptr<pgwire::Connection> connection_;
  std::string schema_prefix_;  // "\"rapidbyte\"."
  std::string where_;          // "state database postgres://u@h:5432/db", for errors
};

/// `name` as a double-quoted SQL identifier.
std::string QuoteIdentifier(std::string_view name);

}  // namespace rapidbyte::state
