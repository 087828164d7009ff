// The dry run's plan of one stream (see write_plan.h).
#include "connectors/postgres/destination/write_plan.h"

#include <algorithm>

#include "arrow/type_parse.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/cdc_frame.h"
#include "connectors/postgres/destination/column_type.h"
#include "connectors/postgres/destination/ddl.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/schema_evolution.h"
#include "connectors/postgres/destination/table_catalog.h"
#include "connectors/postgres/destination/target_setup.h"

namespace rapidbyte::pgdest {
namespace {

using protocol::Json;

std::string Str(const Json& j, const char* key) {
  const Json* v = protocol::GetMember(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// The Arrow schema the source would send, rebuilt from the catalog's columns.
Result<arrow::Schema> IncomingSchema(const Json& source_schema) {
  const Json* columns = protocol::GetMember(source_schema, "columns");
  if (columns == nullptr || !columns->is_array() || columns->empty()) {
    return Status::InvalidArgument("source_schema.columns: expected a non-empty array");
  }
  std::vector<arrow::Field> fields;
  for (const Json& c : *columns) {
    if (!c.is_object()) return Status::InvalidArgument("source_schema.columns: not an object");
    RB_ASSIGN_OR_RETURN(arrow::DataType type, arrow::ParseDataType(Str(c, "data_type")));
    const Json* nullable = protocol::GetMember(c, "nullable");
    arrow::Field field(Str(c, "name"), std::move(type),
                       nullable == nullptr || !nullable->is_boolean() || nullable->get<bool>());
    if (const std::string pg = Str(c, "pg_type"); !pg.empty()) field = field.With(arrow::kPgTypeKey, pg);
    if (const std::string ext = Str(c, "extension"); !ext.empty()) field = field.WithExtension(ext);
    fields.push_back(std::move(field));
  }
  arrow::KeyValueMetadata metadata;
  if (const Json* key = protocol::GetMember(source_schema, "primary_key");
      key != nullptr && key->is_array() && !key->empty()) {
    metadata.Set(arrow::kPgPrimaryKeyKey, protocol::Dump(*key));
  }
  return arrow::Schema(std::move(fields), std::move(metadata));
}

Json Strings(const std::vector<std::string>& list) {
  Json out = Json::array();
  for (const std::string& s : list) out.push_back(s);
  return out;
}

Result<Json> PlanReplace(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                         const WriteRequest& request, const arrow::Schema& schema,
                         const std::vector<ColumnType>& types, bool exists) {
  if (exists) {
    RB_ASSIGN_OR_RETURN(std::vector<std::string> dependents, Dependents(conn, target));
    if (!dependents.empty()) {
      std::string list;
      for (const std::string& d : dependents) list += (list.empty() ? "" : ", ") + d;
      return pgconn::Fail(pgconn::ErrorCategory::kSchema, "DEPENDENT_OBJECTS",
                          "stream " + request.stream_name + ": replace cannot drop " +
                              target.Display() + " because other objects depend on it: " + list);
    }
  }
  const pgconn::QualifiedName staging{target.schema, StagingTableName(target.relation)};
  RB_ASSIGN_OR_RETURN(std::string create,
                      CreateTableSql(staging, schema, types, SourcePrimaryKey(schema),
                                     PrimaryKeyName(staging.relation)));
  std::vector<std::string> statements = {create};
  if (exists) statements.push_back("DROP TABLE " + target.Quoted());
  statements.push_back("ALTER TABLE " + staging.Quoted() + " RENAME TO " +
                       pgwire::QuoteIdent(target.relation));
  std::vector<std::string> notes = {
      "every row is loaded into " + staging.Display() + ", then swapped in at commit"};
  if (exists) notes.push_back("the rows " + target.Display() + " holds now are replaced");
  return Json{{"action", "replace"}, {"statements", Strings(statements)}, {"notes", Strings(notes)}};
}

}  // namespace

Result<Json> PlanWrite(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                       const WriteRequest& request, const Json& source_schema) {
  RB_ASSIGN_OR_RETURN(arrow::Schema schema, IncomingSchema(source_schema));
  // A cdc stream's table: the source's columns (mirror) or every change (change log).
  if (request.cdc) schema = CdcTableSchema(schema, request.write_mode);
  const bool mirror = request.cdc && request.write_mode == WriteMode::kUpsert;
  RB_ASSIGN_OR_RETURN(std::vector<ColumnType> types,
                      PlanColumnTypes(conn, schema, request.stream_name));
  RB_ASSIGN_OR_RETURN(std::optional<pgwire::RelationCatalog> existing, FindTable(conn, target));
  // soft_delete adds the mirror's _rb_deleted_at unless it is there (evolution never sees it).
  const bool add_deleted_at =
      mirror && request.soft_delete &&
      (!existing || std::none_of(existing->columns.begin(), existing->columns.end(),
                                 [](const pgwire::PgColumn& c) { return c.name == kDeletedAtColumn; }));
  Json plan;
  if (request.write_mode == WriteMode::kReplace) {
    RB_ASSIGN_OR_RETURN(plan, PlanReplace(conn, target, request, schema, types, existing.has_value()));
  } else if (!existing) {
    const bool upsert = request.write_mode == WriteMode::kUpsert;
    RB_ASSIGN_OR_RETURN(std::string create,
                        CreateTableSql(target, schema, types,
                                       upsert ? request.primary_key : std::vector<std::string>{},
                                       PrimaryKeyName(target.relation)));
    plan = Json{{"action", "create"}, {"statements", Json::array({create})}, {"notes", Json::array()}};
  } else {
    RB_ASSIGN_OR_RETURN(EvolutionPlan evolution,
                        PlanEvolution(conn, target, mirror ? WithoutDeletedAt(*existing) : *existing,
                                      schema, types, request.evolution, request.stream_name));
    if (request.write_mode == WriteMode::kUpsert) {
      RB_ASSIGN_OR_RETURN(bool unique, HasUniqueKey(conn, target, request.primary_key));
      if (!unique) {
        return pgconn::Fail(pgconn::ErrorCategory::kSchema, "NO_UNIQUE_KEY",
                            "table " + target.Display() +
                                " has no unique constraint on the upsert key; upsert needs one");
      }
    }
    plan = Json{{"action", std::string(WriteModeName(request.write_mode))},
                {"statements", Strings(evolution.alters)},
                {"notes", Strings(evolution.notes)}};
  }
  if (add_deleted_at) plan["statements"].push_back(AddDeletedAtSql(target));
  if (request.cdc) {
    for (const std::string& note : CdcPlanNotes(request)) plan["notes"].push_back(note);
  }
  plan["table"] = target.Display();
  return plan;
}

}  // namespace rapidbyte::pgdest
