// PostgreSQL -> Arrow type model (SPEC §9.1): the OIDs of the built-in types the binary
// codecs know, the catalog facts of one column, and MapColumn/MapRelation, which turn them
// into Arrow fields (with pg_type metadata) plus the value codec the COPY decoder uses for the
// column. Portable; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arrow/schema.h"
#include "base/result.h"

namespace rapidbyte::pgwire {

/// OIDs of built-in types (pg_type.dat); stable across PostgreSQL versions.
namespace oid {
inline constexpr std::uint32_t kBool = 16, kBytea = 17, kChar = 18, kName = 19, kInt8 = 20,
                               kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26, kJson = 114,
                               kFloat4 = 700, kFloat8 = 701, kTextArray = 1009, kBpchar = 1042,
                               kVarchar = 1043, kDate = 1082, kTime = 1083, kTimestamp = 1114,
                               kTimestamptz = 1184, kInterval = 1186, kTimetz = 1266,
                               kNumeric = 1700, kUuid = 2950, kJsonb = 3802;
}  // namespace oid

/// How one value travels in binary COPY and which Arrow builder receives it. Every codec but
/// kNumericText/kJsonb appends the server's binary format as is (after byte-order and epoch
/// conversion); text-carried types are selected as `::text` and use kText.
enum class ValueCodec : std::uint8_t {
  kBool,
  kInt2,
  kInt4,
  kInt8,
  kFloat4,
  kFloat8,
  kNumericDecimal,  ///< numeric -> decimal128(p, s); NaN/Infinity/out of range: data error
  kNumericText,     ///< numeric (binary) -> its exact text form, utf8
  kText,            ///< raw bytes -> utf8 (text, varchar, bpchar, name, citext, json, ::text)
  kJsonb,           ///< jsonb binary (version byte 1 + text) -> utf8
  kBytea,           ///< raw bytes -> binary
  kDate,            ///< int32 days since 2000-01-01 -> date32
  kTime,            ///< int64 µs since midnight -> time64[us]
  kTimestamp,       ///< int64 µs since 2000-01-01 -> timestamp[us(, UTC)]
  kInterval,        ///< µs, days, months -> interval[month_day_nano]
  kUuid,            ///< 16 bytes -> fixed_size_binary[16]
};

/// What the decoder needs to know about one column: the codec of the value (of each element
/// for arrays), whether it is a one-dimensional array, and the decimal parameters.
struct ColumnCodec {
  ValueCodec codec = ValueCodec::kText;
  bool is_array = false;
  /// SELECT the column as `::text` (or `::text[]` for arrays): text-carried types.
  bool cast_to_text = false;
  std::int32_t precision = 0;  ///< kNumericDecimal only
  std::int32_t scale = 0;      ///< kNumericDecimal only
};

/// Catalog facts of one column (see catalog.h for the query that produces them).
struct PgColumn {
  std::string name;
  std::uint32_t type_oid = 0;   ///< pg_attribute.atttypid (may be a domain)
  std::int32_t typmod = -1;     ///< typmod of the base type (atttypmod or the domain's)
  std::string format_type;      ///< format_type(atttypid, atttypmod), e.g. `numeric(12,2)`
  bool not_null = false;
  std::uint32_t base_oid = 0;   ///< the type after resolving domains (== type_oid otherwise)
  std::string base_name;        ///< pg_type.typname of base_oid (e.g. `citext`, `_int4`)
  char typtype = 'b';           ///< of the base type: b base, e enum, r range, c composite...
  char typcategory = 'U';       ///< of the base type: A array, S string, N numeric...
  std::uint32_t elem_oid = 0;   ///< element type (domains resolved) when the base is an array
  std::string elem_name;        ///< typname of elem_oid
};

/// One column's Arrow field and decoder codec.
struct ColumnPlan {
  arrow::Field field;
  ColumnCodec codec;
};

/// Map one column per SPEC §9.1. Never fails for a known-good catalog row; an empty name is
/// InvalidArgument.
Result<ColumnPlan> MapColumn(const PgColumn& column);

/// Map every column and build the schema with `pg_relation` = "schema.relation" and
/// `pg_primary_key` = JSON array of the key columns.
struct RelationPlan {
  std::shared_ptr<const arrow::Schema> schema;
  std::vector<ColumnCodec> codecs;
};
Result<RelationPlan> MapRelation(std::string_view schema_name, std::string_view relation,
                                 const std::vector<PgColumn>& columns,
                                 const std::vector<std::string>& primary_key);

/// Return `s` as a JSON string literal (quotes, backslashes and control characters escaped).
std::string JsonQuote(std::string_view s);

}  // namespace rapidbyte::pgwire
