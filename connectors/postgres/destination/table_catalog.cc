// Catalog queries on destination tables.
#include "connectors/postgres/destination/table_catalog.h"

#include <algorithm>
#include <map>

#include "pgwire/type_map.h"

namespace rapidbyte::pgdest {
namespace {

Result<pgwire::QueryResult> TextQuery(pgwire::Connection* conn, std::string_view sql,
                                      const std::string& qualified) {
  const pgwire::Param param = pgwire::Param::Text(qualified, pgwire::oid::kText);
  return conn->Query(sql, std::span<const pgwire::Param>(&param, 1), pgwire::Format::kText);
}

}  // namespace

Result<std::optional<pgwire::RelationCatalog>> FindTable(pgwire::Connection* conn,
                                                         const pgconn::QualifiedName& name) {
  auto catalog = pgwire::LookupRelation(conn, name.schema, name.relation);
  if (!catalog.ok()) {
    if (catalog.status().code() == StatusCode::kNotFound) {
      return std::optional<pgwire::RelationCatalog>();
    }
    return catalog.status();
  }
  return std::optional<pgwire::RelationCatalog>(std::move(*catalog));
}

Result<bool> HasUniqueKey(pgwire::Connection* conn, const pgconn::QualifiedName& name,
                          const std::vector<std::string>& key) {
  static constexpr std::string_view kSql =
      "SELECT i.indexrelid::int8, a.attname::text FROM pg_index i "
      "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
      "WHERE i.indrelid = $1::text::regclass AND i.indisunique AND i.indpred IS NULL "
      "AND i.indexprs IS NULL";
  RB_ASSIGN_OR_RETURN(pgwire::QueryResult result, TextQuery(conn, kSql, name.Quoted()));
  std::map<std::string, std::vector<std::string>> indexes;
  for (const auto& row : result.rows) {
    if (row.size() == 2 && row[0] && row[1]) indexes[*row[0]].push_back(*row[1]);
  }
  std::vector<std::string> wanted = key;
  std::sort(wanted.begin(), wanted.end());
  for (auto& [oid, columns] : indexes) {
    std::sort(columns.begin(), columns.end());
    if (columns == wanted) return true;
  }
  return false;
}

Result<std::set<std::string>> RequiredColumns(pgwire::Connection* conn,
                                              const pgconn::QualifiedName& name) {
  static constexpr std::string_view kSql =
      "SELECT attname::text FROM pg_attribute WHERE attrelid = $1::text::regclass "
      "AND attnum > 0 AND NOT attisdropped AND attnotnull AND NOT atthasdef";
  RB_ASSIGN_OR_RETURN(pgwire::QueryResult result, TextQuery(conn, kSql, name.Quoted()));
  std::set<std::string> out;
  for (const auto& row : result.rows) {
    if (!row.empty() && row[0]) out.insert(*row[0]);
  }
  return out;
}

Result<std::vector<std::string>> Dependents(pgwire::Connection* conn,
                                            const pgconn::QualifiedName& name) {
  static constexpr std::string_view kSql =
      "SELECT DISTINCT 'view ' || v.oid::regclass::text FROM pg_depend d "
      "JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class "
      "WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = $1::text::regclass "
      "AND v.oid <> $1::text::regclass "
      "UNION SELECT 'foreign key ' || c.conname || ' on ' || c.conrelid::regclass::text "
      "FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = $1::text::regclass "
      "AND c.conrelid <> $1::text::regclass ORDER BY 1";
  RB_ASSIGN_OR_RETURN(pgwire::QueryResult result, TextQuery(conn, kSql, name.Quoted()));
  std::vector<std::string> out;
  for (const auto& row : result.rows) {
    if (!row.empty() && row[0]) out.push_back(*row[0]);
  }
  return out;
}

}  // namespace rapidbyte::pgdest
