// Target preparation per write mode.
#include "connectors/postgres/destination/target_setup.h"

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/cdc_frame.h"
#include "connectors/postgres/destination/ddl.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/schema_evolution.h"
#include "connectors/postgres/destination/table_catalog.h"

#include "protocol/json.h"

namespace rapidbyte::pgdest {
namespace {

Result<pgwire::RelationCatalog> MustFind(pgwire::Connection* conn,
                                         const pgconn::QualifiedName& name) {
  RB_ASSIGN_OR_RETURN(std::optional<pgwire::RelationCatalog> catalog, FindTable(conn, name));
  if (!catalog) return Status::Internal("table " + name.Display() + " vanished after creation");
  return std::move(*catalog);
}

std::string KeyText(const std::vector<std::string>& key) {
  std::string out;
  for (const std::string& k : key) out += (out.empty() ? "" : ", ") + k;
  return out;
}

Status CheckKeyInData(const std::vector<std::string>& key, const arrow::Schema& schema,
                      const std::string& stream) {
  for (const std::string& k : key) {
    if (schema.GetFieldIndex(k) < 0) {
      return pgconn::Fail(pgconn::ErrorCategory::kConfig, "COLUMN_NOT_FOUND",
                          "primary_key column '" + k + "' is not in stream " + stream);
    }
  }
  return Status::OK();
}

// append and upsert: create the table, or evolve the existing one.
Result<PreparedTarget> PrepareInPlace(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                                      const WriteRequest& request, const arrow::Schema& schema,
                                      const std::vector<ColumnType>& types) {
  const bool upsert = request.write_mode == WriteMode::kUpsert;
  const bool mirror = upsert && request.cdc;
  if (upsert) RB_RETURN_NOT_OK(CheckKeyInData(request.primary_key, schema, request.stream_name));
  RB_ASSIGN_OR_RETURN(std::optional<pgwire::RelationCatalog> existing, FindTable(conn, target));
  std::set<std::string> skip;
  if (!existing) {
    const std::vector<std::string> key = upsert ? request.primary_key : std::vector<std::string>{};
    RB_RETURN_NOT_OK(
        CreateTable(conn, target, schema, types, key, PrimaryKeyName(target.relation)));
  } else {
    // The mirror's _rb_deleted_at is never in the data; soft_delete adds it below.
    RB_ASSIGN_OR_RETURN(skip, EvolveTable(conn, target, mirror ? WithoutDeletedAt(*existing) : *existing,
                                          schema, types, request.evolution, request.stream_name));
    if (upsert) {
      RB_ASSIGN_OR_RETURN(bool unique, HasUniqueKey(conn, target, request.primary_key));
      if (!unique) {
        return pgconn::Fail(pgconn::ErrorCategory::kSchema, "NO_UNIQUE_KEY",
                            "table " + target.Display() + " has no unique constraint on (" +
                                KeyText(request.primary_key) + "); upsert needs one");
      }
    }
  }
  if (mirror && request.soft_delete) {
    RB_RETURN_NOT_OK(conn->Execute(AddDeletedAtSql(target))
                         .WithContext("add " + std::string(kDeletedAtColumn) + " to " +
                                      target.Display()));
  }
  RB_ASSIGN_OR_RETURN(pgwire::RelationCatalog catalog, MustFind(conn, target));
  PreparedTarget out;
  out.target = target;
  RB_ASSIGN_OR_RETURN(out.layout, BuildLayout(target, catalog, schema, skip));
  return out;
}

Result<PreparedTarget> PrepareReplace(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                                      const WriteRequest& request, const arrow::Schema& schema,
                                      const std::vector<ColumnType>& types) {
  RB_RETURN_NOT_OK(CheckIdentifier("table", target.relation));
  RB_ASSIGN_OR_RETURN(std::optional<pgwire::RelationCatalog> existing, FindTable(conn, target));
  if (existing) {
    RB_ASSIGN_OR_RETURN(std::vector<std::string> dependents, Dependents(conn, target));
    if (!dependents.empty()) {
      return pgconn::Fail(pgconn::ErrorCategory::kSchema, "DEPENDENT_OBJECTS",
                          "stream " + request.stream_name + ": replace cannot drop " +
                              target.Display() +
                              " because other objects depend on it: " + KeyText(dependents));
    }
  }
  PreparedTarget out;
  out.target = target;
  out.replace = true;
  out.staging = pgconn::QualifiedName{target.schema, StagingTableName(target.relation)};
  const std::vector<std::string> key = SourcePrimaryKey(schema);
  out.staging_has_pk = !key.empty();
  RB_RETURN_NOT_OK(conn->Execute("DROP TABLE IF EXISTS " + out.staging.Quoted())
                       .WithContext("drop the old staging table " + out.staging.Display()));
  RB_RETURN_NOT_OK(
      CreateTable(conn, out.staging, schema, types, key, PrimaryKeyName(out.staging.relation)));
  RB_ASSIGN_OR_RETURN(pgwire::RelationCatalog catalog, MustFind(conn, out.staging));
  RB_ASSIGN_OR_RETURN(out.layout, BuildLayout(out.staging, catalog, schema, {}));
  return out;
}

}  // namespace

std::vector<std::string> SourcePrimaryKey(const arrow::Schema& schema) {
  std::vector<std::string> key;
  const std::optional<std::string_view> text = schema.metadata().Get(arrow::kPgPrimaryKeyKey);
  if (!text) return key;
  const std::optional<protocol::Json> doc = protocol::ParseJson(*text);
  if (!doc || !doc->is_array()) return key;
  for (const protocol::Json& item : *doc) {
    if (!item.is_string() || schema.GetFieldIndex(item.get<std::string>()) < 0) return {};
    key.push_back(item.get<std::string>());
  }
  return key;
}

Result<PreparedTarget> PrepareTarget(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                                     const WriteRequest& request, const arrow::Schema& schema,
                                     const std::vector<ColumnType>& types) {
  if (request.write_mode == WriteMode::kReplace) {
    return PrepareReplace(conn, target, request, schema, types);
  }
  return PrepareInPlace(conn, target, request, schema, types);
}

}  // namespace rapidbyte::pgdest
