// Schema evolution of an existing target table (SPEC §8.6, `append` and `upsert`): incoming
// fields are compared with the table's columns by exact name before the first row is
// written, and each difference is handled per destination.schema_evolution: ALTER TABLE
// statements run inside the data's transaction (and roll back with it); rejected changes are
// `schema` errors SCHEMA_CHANGE_REJECTED naming the policy, the column and the stream.
// Portable.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "arrow/schema.h"
#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/destination/column_type.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/catalog.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

/// True when a column of catalog type `column` holds every value of `incoming` without loss
/// (the "lossless" list of SPEC §8.6), so no type change is needed.
bool HoldsLosslessly(const pgwire::PgColumn& column, const ColumnType& incoming);

/// What `policy` makes of the differences between `incoming` and the table: the ALTER
/// statements, the fields left out of every write, and notes on what is dropped. A change
/// the policy rejects is the SCHEMA_CHANGE_REJECTED error. Read-only (one catalog query).
struct EvolutionPlan {
  struct Drift {
    int added = 0, removed = 0, type_changes = 0, nullability = 0;
  };
  std::set<std::string> skip;
  std::vector<std::string> alters;
  std::vector<std::string> notes;
  Drift drift;
};
Result<EvolutionPlan> PlanEvolution(pgwire::Connection* conn, const pgconn::QualifiedName& table,
                                    const pgwire::RelationCatalog& catalog,
                                    const arrow::Schema& incoming,
                                    const std::vector<ColumnType>& types,
                                    const EvolutionPolicy& policy, const std::string& stream);

/// Apply `policy` to the differences between `incoming` (with planned `types`) and the
/// existing table `catalog`. Returns the fields to leave out of every write (new columns
/// under `ignore`, type changes under `null`).
Result<std::set<std::string>> EvolveTable(pgwire::Connection* conn,
                                          const pgconn::QualifiedName& table,
                                          const pgwire::RelationCatalog& catalog,
                                          const arrow::Schema& incoming,
                                          const std::vector<ColumnType>& types,
                                          const EvolutionPolicy& policy, const std::string& stream);

}  // namespace rapidbyte::pgdest
