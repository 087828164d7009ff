// The dry run's plan of one stream (`rapidbyte run --dry-run`, `check --plan`): what the
// write would do to the destination for the source's columns, computed with the same
// functions the write uses (column types, CREATE TABLE text, schema evolution) and only
// read-only catalog queries. Portable.
#pragma once

#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/connection.h"
#include "protocol/json.h"

namespace rapidbyte::pgdest {

/// `source_schema` is the stream context's {"columns": [{name, data_type, nullable, pg_type,
/// extension?}], "primary_key": [...]} (from the source's catalog; untrusted). Returns
/// {"action": create|append|upsert|replace, "table", "statements": [...], "notes": [...]};
/// a change the write would refuse (schema evolution, missing unique key, dependents) is
/// its error. A cdc stream plans its mirror or change-log table (CdcTableSchema, soft_delete's
/// column) and says in its notes how changes are applied.
Result<protocol::Json> PlanWrite(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                                 const WriteRequest& request, const protocol::Json& source_schema);

}  // namespace rapidbyte::pgdest
