// Names dest-postgres derives or checks (SPEC §8.3, §8.4): identifiers are 1-63 bytes without
// NUL (never silently truncated), the replace-mode staging table, the primary-key constraint
// names, and the commit-record and dead-letter tables. Portable.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace rapidbyte::pgdest {

inline constexpr std::string_view kConnectorId = "rapidbyte/dest-postgres";
inline constexpr std::string_view kWatermarksTable = "rapidbyte_watermarks";
inline constexpr std::string_view kDlqTable = "rapidbyte_dlq";

/// OK when `name` is a valid PostgreSQL identifier for us: 1-63 bytes, no NUL. Otherwise a
/// config error INVALID_IDENTIFIER naming `what` (e.g. "column") and the name.
Status CheckIdentifier(std::string_view what, std::string_view name);

/// `<table>__rb_staging`; when that exceeds 63 bytes: the first 42 bytes of the table name,
/// `_`, 8 hex digits of SHA-256 of the name, `__rb_staging`.
std::string StagingTableName(std::string_view table);

/// `<table>_pkey`, shortened like StagingTableName when longer than 63 bytes.
std::string PrimaryKeyName(std::string_view table);

}  // namespace rapidbyte::pgdest
