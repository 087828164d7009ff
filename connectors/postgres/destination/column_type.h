// ColumnType: the PostgreSQL type dest-postgres gives a column for an incoming Arrow field
// (SPEC §9.2, §9.3). The `pg_type` field metadata is untrusted: it is used only when it
// matches `type-name[(int[,int])][[]]` (the modifier may also sit inside a multi-word name, as
// in `timestamp(3) with time zone`), its name resolves in the destination database (looked up
// as a bound parameter) and the Arrow type can be written to it; the DDL text is then built
// from the server's canonical name plus the validated integers. Otherwise the Arrow mapping
// of §9.2 applies. Portable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrow/schema.h"
#include "base/result.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

struct ColumnType {
  std::string ddl;             ///< SQL type text, e.g. `character varying(64)`, `integer[]`
  std::uint32_t oid = 0;       ///< the (element) type, domains not resolved
  std::uint32_t base_oid = 0;  ///< `oid` with domains resolved to their base type
  bool is_array = false;
  std::int32_t mod1 = -1;  ///< length or precision; -1 when unconstrained
  std::int32_t mod2 = -1;  ///< scale; -1 when absent
};

/// The parts of a `pg_type` text that passed the syntax check.
struct PgTypeSpec {
  std::string name;  ///< e.g. `timestamp with time zone`, `public.mood`
  std::int32_t mod1 = -1;
  std::int32_t mod2 = -1;
  bool is_array = false;
};

/// Parse `pg_type` metadata; nullopt when it does not have the accepted shape.
std::optional<PgTypeSpec> ParsePgType(std::string_view text);

/// The SPEC §9.2 mapping of `field` (its type and extension name). Unsupported types are a
/// schema error UNSUPPORTED_ARROW_TYPE naming the field.
Result<ColumnType> ArrowMapping(const arrow::Field& field);

/// Choose the type of every field of `schema`: `pg_type` when usable in this database (else
/// the Arrow mapping with a warning naming the column), checked against the Arrow type.
/// Runs read-only catalog queries outside any transaction. `stream` is for messages.
Result<std::vector<ColumnType>> PlanColumnTypes(pgwire::Connection* conn,
                                                const arrow::Schema& schema,
                                                std::string_view stream);

/// Run PlanColumnTypes' type lookup once (for bigint), so that the backend's catalog caches
/// are warm when the first frame's columns are planned. Fails only when the session breaks.
Status WarmTypeLookup(pgwire::Connection* conn);

}  // namespace rapidbyte::pgdest
