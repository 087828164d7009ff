// ReadPlan: everything source-postgres decides about one stream before it reads (SPEC §7.3
// step 3): the relation's catalog facts, the projection, the Arrow schema with pg_type
// metadata (SPEC §9.1) and the decoder codecs, the fields of the boundary key hash, and the
// cursor column. Lookup failures become typed errors (TABLE_NOT_FOUND with a suggestion,
// PERMISSION_DENIED, COLUMN_NOT_FOUND listing the columns, CURSOR_TYPE_UNSUPPORTED).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrow/schema.h"
#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/source/cursor.h"
#include "pgwire/catalog.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgsource {

struct ReadPlan {
  pgconn::QualifiedName name;
  pgwire::RelationCatalog catalog;
  std::vector<std::string> columns;    ///< selected column names, in select order
  std::vector<pgwire::PgColumn> selected;
  std::shared_ptr<const arrow::Schema> schema;
  std::vector<pgwire::ColumnCodec> codecs;
  std::vector<int> key_fields;         ///< tuple fields hashed for the boundary (SPEC §7.3.6)
  int cursor_index = -1;               ///< tuple field of the cursor, -1 without one
  std::optional<CursorColumn> cursor;
  /// Appended to the SELECT list after the columns (a cdc snapshot's change columns).
  std::string extra_select;
};

/// Look up `name` (bound parameters). A missing relation is TABLE_NOT_FOUND naming it, with
/// the closest readable relation as a suggestion; no SELECT privilege is PERMISSION_DENIED.
Result<pgwire::RelationCatalog> LookupRelation(pgwire::Connection* conn,
                                               const pgconn::QualifiedName& name);

/// Build the plan for reading `columns` (all columns in table order when nullopt) of `name`,
/// with `cursor_field` as the incremental cursor when not empty. A cursor column that is not
/// selected is appended to the projection (it is needed for ORDER BY and checkpoints).
Result<ReadPlan> MakeReadPlan(pgconn::QualifiedName name, pgwire::RelationCatalog catalog,
                              const std::optional<std::vector<std::string>>& columns,
                              const std::string& cursor_field);

}  // namespace rapidbyte::pgsource
