// The checks of rb_validate.
#include "connectors/postgres/source/validate.h"

#include "connectors/postgres/common/pg_connect.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/source/read_plan.h"
#include "connectors/postgres/source/source_config.h"
#include "connectors/postgres/source/stream_request.h"

namespace rapidbyte::pgsource {
namespace {

protocol::Json Check(std::string name, std::string_view status, std::string message) {
  return {{"name", std::move(name)}, {"status", status}, {"message", std::move(message)}};
}

protocol::Json FailedCheck(std::string name, const Status& error) {
  const protocol::ConnectorError e = pgconn::ToConnectorError(error);
  protocol::Json check = Check(std::move(name), "failed", e.message);
  check["category"] = protocol::Name(e.category);
  check["code"] = e.code;
  return check;
}

protocol::Json CheckStream(pgwire::Connection* conn, const SourceConfig& config,
                           const protocol::Json& context) {
  std::string stream_name;
  protocol::GetString(context, "stream_name", &stream_name);
  std::string name = "stream " + stream_name;
  auto request = ParseStreamRequest(context);
  if (!request.ok()) {
    return FailedCheck(name, pgconn::Fail(pgconn::ErrorCategory::kConfig, "INVALID_CONFIG",
                                          request.status().message()));
  }
  const pgconn::QualifiedName relation =
      pgconn::SplitStreamName(request->stream_name, config.pg.schema);
  auto catalog = LookupRelation(conn, relation);
  if (!catalog.ok()) return FailedCheck(name, catalog.status());
  const bool incremental = request->sync_mode == SyncMode::kIncremental;
  const std::string cursor_field = incremental ? request->cursor->field : std::string();
  auto plan = MakeReadPlan(relation, std::move(*catalog), request->selected_columns,
                           cursor_field);
  if (!plan.ok()) return FailedCheck(name, plan.status());
  if (incremental) {
    const pgwire::PgColumn& cursor = plan->selected[static_cast<std::size_t>(plan->cursor_index)];
    if (!cursor.not_null) {
      return Check(name, "warning",
                   "cursor column '" + cursor_field + "' of " + relation.Display() +
                       " is nullable; rows with a NULL cursor are never read by incremental "
                       "sync");
    }
  }
  return Check(name, "success",
               relation.Display() + " is readable (" + std::to_string(plan->columns.size()) +
                   " columns)");
}

protocol::Json Outcome(protocol::Json checks) {
  std::string status = "success";
  std::string message = "all checks passed";
  for (const protocol::Json& c : checks) {
    const std::string s = c.value("status", "success");
    if (s == "failed" && status != "failed") {
      status = "failed";
      message = c.value("message", "");
    } else if (s == "warning" && status == "success") {
      status = "warning";
      message = c.value("message", "");
    }
  }
  return {{"status", status}, {"message", message}, {"checks", std::move(checks)}};
}

}  // namespace

protocol::Json Validate(const protocol::Json& request) {
  protocol::Json checks = protocol::Json::array();
  auto object = pgconn::ConfigObject(request);
  rapidbyte::Result<SourceConfig> config = object.status();
  if (object.ok()) config = ParseSourceConfig(*object);
  if (!config.ok()) {
    checks.push_back(FailedCheck("config", pgconn::Fail(pgconn::ErrorCategory::kConfig,
                                                        "INVALID_CONFIG",
                                                        config.status().message())));
    return Outcome(std::move(checks));
  }
  auto conn = pgconn::Connect(config->pg);
  if (!conn.ok()) {
    checks.push_back(FailedCheck("connection", conn.status()));
    return Outcome(std::move(checks));
  }
  checks.push_back(Check("connection", "success",
                         "Connected to " + config->pg.Describe() + " (" +
                             pgconn::ServerVersion(**conn) + ", TLS " +
                             ((*conn)->tls_active() ? "on" : "off") + ")"));
  if (const protocol::Json* streams = protocol::GetMember(request, "streams")) {
    if (streams->is_array()) {
      for (const protocol::Json& context : *streams) {
        checks.push_back(CheckStream(conn->get(), *config, context));
      }
    }
  }
  (*conn)->Terminate().IgnoreError();
  return Outcome(std::move(checks));
}

}  // namespace rapidbyte::pgsource
