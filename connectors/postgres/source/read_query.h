// The SQL text source-postgres sends to read a stream (SPEC §7.3 step 4) and to estimate
// its rows (the records_estimate metric, from the plan of the same SELECT). Identifiers are
// double-quoted; a stored cursor value never appears in SQL text: it is bound as a parameter
// of set_config() and read back with current_setting(). Portable; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "connectors/postgres/source/read_plan.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgsource {

/// Sets the transaction-local setting 'rapidbyte.cursor' to $1 (text).
inline constexpr std::string_view kSetCursorSql =
    "SELECT pg_catalog.set_config('rapidbyte.cursor', $1, true)";

enum class CursorFilter {
  kNone,        ///< full refresh
  kNotNull,     ///< incremental, nothing stored: WHERE c IS NOT NULL ORDER BY c
  kFromStored,  ///< incremental with a stored value: WHERE c >= stored ORDER BY c
};

/// `COPY (SELECT <cols> FROM "<schema>"."<rel>" [filter]) TO STDOUT (FORMAT binary)`.
std::string CopyQuery(const ReadPlan& plan, CursorFilter filter);

/// `EXPLAIN (FORMAT JSON) SELECT ...`: the plan of the SELECT inside CopyQuery, for the
/// records_estimate metric. Run after kSetCursorSql, the planner estimates the cursor filter
/// with the stored value (current_setting() is stable, so estimation folds it).
std::string ExplainQuery(const ReadPlan& plan, CursorFilter filter);

/// The top plan node's "Plan Rows" of an EXPLAIN (FORMAT JSON) result; nullopt when the
/// result is not such a plan.
std::optional<std::uint64_t> PlanRows(const pgwire::QueryResult& explain);

/// `SELECT current_setting('rapidbyte.cursor')::<cursor column type>`: run with binary
/// results, it returns the stored cursor exactly as COPY sends the column (for the boundary
/// comparison), and fails with a data error when the stored text does not parse.
std::string StoredCursorQuery(const ReadPlan& plan);

}  // namespace rapidbyte::pgsource
