// Preparing the target of one write session inside its open transaction (SPEC §8.3, §8.4,
// §8.6): create the table or evolve the existing one (append, upsert), check the upsert key,
// or recreate the replace-mode staging table after checking the target has no dependents.
// The result says where rows go and, for replace, what to swap at the end. Portable.
#pragma once

#include <string>
#include <vector>

#include "arrow/schema.h"
#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/destination/column_type.h"
#include "connectors/postgres/destination/target_layout.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

struct PreparedTarget {
  TargetLayout layout;           ///< where rows are written (staging for replace)
  pgconn::QualifiedName target;  ///< the final table
  bool replace = false;
  pgconn::QualifiedName staging;  ///< replace only
  bool staging_has_pk = false;    ///< replace only
};

/// Prepare `target` for `request.write_mode` and the incoming `schema` with planned `types`
/// (for a cdc stream, the table's columns: CdcTableSchema). A cdc mirror with soft_delete
/// gets `_rb_deleted_at`, which schema evolution never sees.
Result<PreparedTarget> PrepareTarget(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                                     const WriteRequest& request, const arrow::Schema& schema,
                                     const std::vector<ColumnType>& types);

/// The source's key from the schema metadata `pg_primary_key` (a JSON array of names), kept
/// only when every name is a field; empty otherwise.
std::vector<std::string> SourcePrimaryKey(const arrow::Schema& schema);

}  // namespace rapidbyte::pgdest
