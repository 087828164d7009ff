// Listing the readable relations.
#include "connectors/postgres/source/relations.h"

#include <charconv>

namespace rapidbyte::pgsource {
namespace {

constexpr std::string_view kListQuery = R"SQL(
SELECT n.nspname::text, c.relname::text, c.relkind::text,
  CASE WHEN c.relkind = 'p' THEN
    (SELECT sum(greatest(p.reltuples, 0))::int8 FROM pg_catalog.pg_inherits i
     JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid WHERE i.inhparent = c.oid)
  WHEN c.relkind IN ('r', 'm') AND c.reltuples >= 0 THEN c.reltuples::int8 END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND has_schema_privilege(n.oid, 'USAGE')
ORDER BY 1, 2
)SQL";

}  // namespace

Result<std::vector<RelationRef>> ListRelations(pgwire::Connection* conn) {
  RB_ASSIGN_OR_RETURN(pgwire::QueryResult result,
                      conn->Query(kListQuery, {}, pgwire::Format::kText));
  std::vector<RelationRef> out;
  out.reserve(result.rows.size());
  for (const pgwire::QueryResult::Row& row : result.rows) {
    if (row.size() != 4 || !row[0] || !row[1] || !row[2] || row[2]->empty()) {
      return Status::DataLoss("malformed relation list row");
    }
    std::int64_t estimate = -1;
    if (row[3] && !row[3]->empty()) {
      const auto [end, ec] =
          std::from_chars(row[3]->data(), row[3]->data() + row[3]->size(), estimate);
      if (ec != std::errc() || end != row[3]->data() + row[3]->size()) estimate = -1;
    }
    out.push_back({{*row[0], *row[1]}, (*row[2])[0], estimate});
  }
  return out;
}

std::string_view RelationKindName(char relkind) {
  switch (relkind) {
    case 'p':
      return "partitioned_table";
    case 'v':
      return "view";
    case 'm':
      return "materialized_view";
    case 'f':
      return "foreign_table";
    case 'r':
    default:
      return "table";
  }
}

}  // namespace rapidbyte::pgsource
