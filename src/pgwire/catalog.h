// The catalog lookup a PostgreSQL source runs before reading a relation (SPEC §7.3 step 3):
// the query (schema and relation are bound parameters, never SQL text), the decoder of its
// text-format result rows into PgColumn facts, and the SELECT list that sends each column in
// binary or cast to text as the type mapping requires. Portable; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "pgwire/connection.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgwire {

/// The catalog facts of one relation.
struct RelationCatalog {
  char relkind = 'r';  ///< r table, p partitioned, v view, m matview, f foreign
  bool can_select = false;
  std::vector<PgColumn> columns;           ///< attnum order; no dropped or system columns
  std::vector<std::string> primary_key;    ///< key column names in key order
};

/// Return the catalog query. Parameters: $1 schema name, $2 relation name (both text). Run
/// it with text results (Format::kText). One row per column, or one row with NULL column
/// fields for a relation without columns; no rows when the relation does not exist (or is
/// not a table, partitioned table, view, materialized view or foreign table).
std::string_view CatalogQuery();

/// Decode the rows of CatalogQuery(). A missing relation is NotFound naming
/// `schema.relation`; malformed rows are DataLoss.
Result<RelationCatalog> DecodeCatalog(const QueryResult& result, std::string_view schema,
                                      std::string_view relation);

/// Run CatalogQuery() on `conn` and decode it.
Result<RelationCatalog> LookupRelation(Connection* conn, std::string_view schema,
                                       std::string_view relation);

/// Return `name` as a double-quoted identifier (embedded quotes doubled).
std::string QuoteIdent(std::string_view name);

/// Return the select list for `names` (parallel to `codecs`): `"a", "b"::text AS "b",
/// "c"::text[] AS "c"`: columns of text-carried types are cast so the binary COPY carries
/// their text form.
std::string SelectList(const std::vector<std::string>& names,
                       const std::vector<ColumnCodec>& codecs);

}  // namespace rapidbyte::pgwire
