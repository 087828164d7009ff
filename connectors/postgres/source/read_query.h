// The SQL text source-postgres sends to read a stream (SPEC §7.3 step 4). Identifiers are
// double-quoted; a stored cursor value never appears in SQL text: it is bound as a parameter
// of set_config() and read back with current_setting(). Portable; no I/O.
#pragma once

#include <string>

#include "connectors/postgres/source/read_plan.h"

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

/// `SELECT current_setting('rapidbyte.cursor')::<cursor column type>`: run with binary
/// results, it returns the stored cursor exactly as COPY sends the column (for the boundary
/// comparison), and fails with a data error when the stored text does not parse.
std::string StoredCursorQuery(const ReadPlan& plan);

}  // namespace rapidbyte::pgsource
