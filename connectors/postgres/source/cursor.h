// Typed incremental cursors (SPEC §7.3 "Cursor types"): which column types can be a cursor,
// the CursorValue JSON (SPEC §4.10) of a value as it arrives in binary COPY, and the text
// given to the server for a stored value (always as a bound parameter, never SQL text).
// Portable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "pgwire/type_map.h"
#include "pgwire/wire_buffer.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

enum class CursorType { kInt64, kDecimal, kDate32, kTimestampMicros, kUtf8, kUuid };

/// "int64", "decimal", "date32", "timestamp_micros", "utf8", "uuid".
std::string_view CursorTypeName(CursorType type);

/// The cursor column's type and how its values look on the wire.
struct CursorColumn {
  CursorType type = CursorType::kInt64;
  std::uint32_t base_oid = 0;  ///< int2/int4/int8/numeric/date/timestamp(tz)/text types/uuid
  bool with_time_zone = false;
};

/// The cursor type of `column`, or nullopt when its type cannot be a cursor (arrays,
/// floats, booleans, text-carried types...).
std::optional<CursorColumn> CursorColumnFor(const pgwire::PgColumn& column);

/// The column types that can be cursors, for CURSOR_TYPE_UNSUPPORTED messages.
std::string_view SupportedCursorTypes();

/// The CursorValue of one non-NULL cursor field as received in binary COPY.
/// Malformed bytes are DataLoss.
Result<protocol::Json> CursorValueFromWire(const CursorColumn& column, pgwire::Bytes wire);

/// The text the server parses as the stored `value` of a cursor of `column`'s type (e.g.
/// `2024-01-31 10:00:00.123456+00`). A value of another CursorType than the column's is
/// FailedPrecondition (the caller reports CURSOR_TYPE_CHANGED).
Result<std::string> CursorServerText(const CursorColumn& column, const protocol::Json& value);

}  // namespace rapidbyte::pgsource
