// The relations source-postgres can read (SPEC §7.4): tables, partitioned tables, views,
// materialized views and foreign tables in every schema the user may use, except the system
// schemas; partitions appear through their parent only. Used by discover and for the
// "did you mean" suggestion of a missing relation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "connectors/postgres/common/identifiers.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgsource {

struct RelationRef {
  pgconn::QualifiedName name;
  char relkind = 'r';
  /// The planner's row estimate (pg_class.reltuples; for a partitioned table the sum of its
  /// partitions'); -1 when unknown (views, never analyzed).
  std::int64_t estimated_rows = -1;
};

/// List the readable relations, ordered by schema and name.
Result<std::vector<RelationRef>> ListRelations(pgwire::Connection* conn);

/// "table", "partitioned_table", "view", "materialized_view", "foreign_table".
std::string_view RelationKindName(char relkind);

}  // namespace rapidbyte::pgsource
