// Catalog building for rb_discover.
#include "connectors/postgres/source/discover.h"

#include "connectors/postgres/common/pg_connect.h"
#include "connectors/postgres/source/cursor.h"
#include "connectors/postgres/source/relations.h"

namespace rapidbyte::pgsource {
namespace {

namespace oid = pgwire::oid;

// SPEC §7.4: a conventional timestamp column, else a single-column integer primary key.
protocol::Json SuggestedCursor(const pgwire::RelationCatalog& catalog) {
  for (const char* name : {"updated_at", "modified_at", "last_modified", "last_modified_at",
                           "updated"}) {
    for (const pgwire::PgColumn& c : catalog.columns) {
      if (c.name == name && (c.base_oid == oid::kTimestamp || c.base_oid == oid::kTimestamptz)) {
        return c.name;
      }
    }
  }
  if (catalog.primary_key.size() == 1) {
    for (const pgwire::PgColumn& c : catalog.columns) {
      if (c.name == catalog.primary_key[0] &&
          (c.base_oid == oid::kInt2 || c.base_oid == oid::kInt4 || c.base_oid == oid::kInt8)) {
        return c.name;
      }
    }
  }
  return nullptr;
}

}  // namespace

Result<protocol::Json> DescribeStream(std::string_view schema, std::string_view relation,
                                      const pgwire::RelationCatalog& catalog) {
  RB_ASSIGN_OR_RETURN(pgwire::RelationPlan plan,
                      pgwire::MapRelation(schema, relation, catalog.columns, catalog.primary_key));
  protocol::Json columns = protocol::Json::array();
  bool any_cursor = false;
  for (std::size_t i = 0; i < catalog.columns.size(); ++i) {
    const pgwire::PgColumn& c = catalog.columns[i];
    const arrow::Field& field = plan.schema->field(static_cast<int>(i));
    columns.push_back({{"name", c.name},
                       {"data_type", field.type().ToString()},
                       {"nullable", field.nullable()},
                       {"pg_type", c.format_type}});
    if (!field.extension_name().empty()) {
      columns.back()["extension"] = std::string(field.extension_name());
    }
    any_cursor = any_cursor || CursorColumnFor(c).has_value();
  }
  protocol::Json modes = protocol::Json::array({"full_refresh"});
  if (any_cursor) modes.push_back("incremental");
  protocol::Json key = nullptr;
  if (!catalog.primary_key.empty()) key = catalog.primary_key;
  return protocol::Json{{"name", std::string(schema) + "." + std::string(relation)},
                        {"kind", RelationKindName(catalog.relkind)},
                        {"schema", std::move(columns)},
                        {"supported_sync_modes", std::move(modes)},
                        {"source_defined_cursor", SuggestedCursor(catalog)},
                        {"source_defined_primary_key", std::move(key)}};
}

Result<protocol::Json> Discover(const SourceConfig& config) {
  RB_ASSIGN_OR_RETURN(auto conn, pgconn::Connect(config.pg));
  // One snapshot for the listing and every lookup, so the catalog is consistent.
  RB_RETURN_NOT_OK(conn->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  RB_ASSIGN_OR_RETURN(std::vector<RelationRef> relations, ListRelations(conn.get()));
  protocol::Json streams = protocol::Json::array();
  for (const RelationRef& r : relations) {
    RB_ASSIGN_OR_RETURN(pgwire::RelationCatalog catalog,
                        pgwire::LookupRelation(conn.get(), r.name.schema, r.name.relation));
    RB_ASSIGN_OR_RETURN(protocol::Json stream,
                        DescribeStream(r.name.schema, r.name.relation, catalog));
    if (r.estimated_rows >= 0) stream["estimated_rows"] = r.estimated_rows;
    streams.push_back(std::move(stream));
  }
  RB_RETURN_NOT_OK(conn->Execute("COMMIT"));
  conn->Terminate().IgnoreError();
  return protocol::Json{{"streams", std::move(streams)}};
}

}  // namespace rapidbyte::pgsource
