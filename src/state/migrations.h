// Numbered schema migrations of the state database (SPEC §6.1, §6.2). The version lives in
// rb_meta under "schema_version"; 0 means a fresh database. [host]
#pragma once

#include <string_view>

#include "base/result.h"
#include "state/sql_session.h"

namespace rapidbyte::state {

inline constexpr std::string_view kSchemaVersionKey = "schema_version";

/// Bring the database to kSchemaVersion in one transaction (held against concurrent
/// migrators: SQLite's write lock, PostgreSQL's transaction advisory lock, taken by
/// `lock_sql`, empty for none). `preamble_sql` runs first inside it (PostgreSQL creates the
/// schema there). A newer database fails with NewerSchemaError and is left untouched.
Status Migrate(SqlSession& session, std::string_view lock_sql, std::string_view preamble_sql);

/// The stored schema version (0 when rb_meta has none).
Result<int> ReadSchemaVersion(SqlSession& session);

}  // namespace rapidbyte::state
