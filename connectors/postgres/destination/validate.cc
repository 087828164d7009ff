// Validation checks.
#include "connectors/postgres/destination/validate.h"

#include "connectors/postgres/common/identifiers.h"
#include "connectors/postgres/common/pg_connect.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/dest_config.h"
#include "connectors/postgres/destination/table_catalog.h"
#include "connectors/postgres/destination/write_plan.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/type_map.h"

namespace rapidbyte::pgdest {
namespace {

using Check = sdk::ValidationResult::Check;

Check Passed(std::string name, std::string message) {
  return Check{std::move(name), sdk::ValidationResult::Status::kSuccess, std::move(message)};
}
Check Failed(std::string name, std::string message) {
  return Check{std::move(name), sdk::ValidationResult::Status::kFailed, std::move(message)};
}

std::string Describe(const Status& st) {
  const protocol::ConnectorError error = pgconn::ToConnectorError(st);
  return "[" + std::string(protocol::Name(error.category)) + "] " + error.code + ": " +
         error.message;
}

// "exists" / "will be created" / an error message when neither is possible.
Result<std::string> SchemaState(pgwire::Connection* conn, const std::string& schema) {
  const pgwire::Param param = pgwire::Param::Text(schema, pgwire::oid::kText);
  RB_ASSIGN_OR_RETURN(
      pgwire::QueryResult r,
      conn->Query("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1), "
                  "CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) "
                  "THEN has_schema_privilege($1, 'CREATE') "
                  "ELSE has_database_privilege(current_database(), 'CREATE') END",
                  std::span<const pgwire::Param>(&param, 1), pgwire::Format::kText));
  if (r.rows.empty() || !r.rows[0][0] || !r.rows[0][1]) return Status::Internal("no answer");
  const bool exists = *r.rows[0][0] == "t";
  const bool can_create = *r.rows[0][1] == "t";
  if (!can_create) {
    return pgconn::Fail(
        pgconn::ErrorCategory::kPermission, "PERMISSION_DENIED",
        exists ? "no CREATE privilege on schema '" + schema + "'"
               : "schema '" + schema + "' does not exist and the user may not create it");
  }
  return std::string(exists ? "exists" : "will be created");
}

// The dry run (the stream context carries the source's columns): the check carries the
// write's plan; a write the destination would refuse fails the check with its reason.
Check PlanCheck(pgwire::Connection* conn, const pgconn::QualifiedName& target,
                const WriteRequest& request, const protocol::Json& source_schema,
                const std::string& name) {
  auto plan = PlanWrite(conn, target, request, source_schema);
  if (!plan.ok()) {
    Check failed = Failed(name, Describe(plan.status()));
    failed.plan = protocol::Json{{"action", "fail"}, {"table", target.Display()}};
    return failed;
  }
  Check passed = Passed(name, target.Display() + ": " + (*plan)["action"].get<std::string>());
  passed.plan = std::move(*plan);
  return passed;
}

Check StreamCheck(pgwire::Connection* conn, const DestConfig& config,
                  const protocol::Json& context_json) {
  const std::string& schema = config.pg.schema;
  auto context = sdk::StreamContext::Parse(context_json);
  if (!context.ok()) return Failed("stream", context.error().message);
  auto request = MakeWriteRequest(*context);
  if (!request.ok()) return Failed("stream", request.error().message);
  request->soft_delete = config.soft_delete;
  pgconn::QualifiedName target = pgconn::SplitStreamName(request->stream_name, schema);
  target.schema = schema;
  const std::string name = "stream " + request->stream_name;
  if (const protocol::Json* source_schema = protocol::GetMember(context_json, "source_schema");
      source_schema != nullptr) {
    return PlanCheck(conn, target, *request, *source_schema, name);
  }
  auto table = FindTable(conn, target);
  if (!table.ok()) return Failed(name, Describe(table.status()));
  if (!table->has_value()) {
    return Passed(name, target.Display() + " will be created");
  }
  if (request->write_mode == WriteMode::kUpsert) {
    auto unique = HasUniqueKey(conn, target, request->primary_key);
    if (!unique.ok()) return Failed(name, Describe(unique.status()));
    if (!*unique) {
      return Failed(name, "table " + target.Display() +
                              " has no unique constraint on the upsert key; "
                              "upsert needs one");
    }
  }
  if (request->write_mode == WriteMode::kReplace) {
    auto dependents = Dependents(conn, target);
    if (!dependents.ok()) return Failed(name, Describe(dependents.status()));
    if (!dependents->empty()) {
      std::string list;
      for (const std::string& d : *dependents) list += (list.empty() ? "" : ", ") + d;
      return Failed(name,
                    "replace cannot drop " + target.Display() + "; objects depend on it: " + list);
    }
  }
  return Passed(
      name, target.Display() + " exists and fits write mode " + WriteModeName(request->write_mode));
}

}  // namespace

sdk::ValidationResult Validate(const protocol::Json& config_json, const protocol::Json& request) {
  std::vector<Check> checks;
  auto fail = [&](const std::string& message) {
    sdk::ValidationResult result;
    result.status = sdk::ValidationResult::Status::kFailed;
    result.message = message;
    result.checks = checks;
    return result;
  };
  auto config = ParseDestConfig(config_json);
  if (!config.ok()) return fail(config.error().message);
  auto conn = pgconn::Connect(config->pg);
  if (!conn.ok()) {
    checks.push_back(Failed("connection", Describe(conn.status())));
    return fail("cannot connect to " + config->pg.Describe());
  }
  auto schema_state = SchemaState(conn->get(), config->pg.schema);
  if (!schema_state.ok()) {
    checks.push_back(Failed("schema", Describe(schema_state.status())));
    return fail(schema_state.status().message());
  }
  checks.push_back(Passed("connection", "Connected to " + config->pg.Describe() + " (schema '" +
                                            config->pg.schema + "' " + *schema_state + ")"));
  bool ok = true;
  if (const protocol::Json* streams = protocol::GetMember(request, "streams");
      streams != nullptr && streams->is_array()) {
    for (const protocol::Json& context : *streams) {
      checks.push_back(StreamCheck(conn->get(), *config, context));
      ok = ok && checks.back().status == sdk::ValidationResult::Status::kSuccess;
    }
  }
  sdk::ValidationResult result;
  result.status =
      ok ? sdk::ValidationResult::Status::kSuccess : sdk::ValidationResult::Status::kFailed;
  result.message = ok ? "ok" : "some streams cannot be written";
  result.checks = std::move(checks);
  return result;
}

}  // namespace rapidbyte::pgdest
