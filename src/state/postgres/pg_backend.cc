// OpenPostgresStateBackend (see pg_backend.h).
#include "state/postgres/pg_backend.h"

#include "state/migrations.h"
#include "state/postgres/advisory_lock.h"
#include "state/postgres/pg_session.h"
#include "state/postgres/pg_url.h"
#include "state/sql_state_backend.h"
#include "state/state_util.h"

namespace rapidbyte::state {
namespace {

/// CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS, so it
/// is only attempted when the schema is missing (a DBA may pre-create it for a plain user).
Result<std::string> SchemaPreamble(SqlSession& session, const std::string& schema) {
  SqlParam params[] = {SqlParam::Text(schema)};
  RB_ASSIGN_OR_RETURN(
      SqlResult result,
      session.Run("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", params));
  if (!result.rows.empty()) return std::string();
  return "CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(schema);
}

}  // namespace

Result<std::unique_ptr<StateBackend>> OpenPostgresStateBackend(const std::string& url_text,
                                                               const std::string& schema) {
  if (schema.empty()) return Status::InvalidArgument("state.schema: must not be empty");
  RB_ASSIGN_OR_RETURN(PgUrl url, ParsePgUrl(url_text));
  auto shared = std::make_shared<SharedSession>();
  RB_ASSIGN_OR_RETURN(shared->session, PgSession::Connect(url, schema));
  RB_ASSIGN_OR_RETURN(std::string preamble, SchemaPreamble(*shared->session, schema));
  // Concurrent first runs serialise on a transaction-scoped advisory lock of their own.
  std::string lock_sql = "SELECT pg_advisory_xact_lock(" +
                         std::to_string(AdvisoryLockKey("migrate:" + schema)) + ")";
  RB_RETURN_NOT_OK(Migrate(*shared->session, lock_sql, preamble));
  auto locks = std::make_unique<AdvisoryLockProvider>(shared);
  return std::unique_ptr<StateBackend>(std::make_unique<SqlStateBackend>(
      "postgres " + url.Redacted() + " (schema " + schema + ")", std::move(shared),
      std::move(locks)));
}

}  // namespace rapidbyte::state
