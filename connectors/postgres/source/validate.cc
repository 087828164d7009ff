// The checks of rb_validate.
#include "connectors/postgres/source/validate.h"

#include "connectors/postgres/common/pg_connect.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/source/cdc_setup.h"
#include "connectors/postgres/source/read_plan.h"
#include "connectors/postgres/source/source_config.h"

namespace rapidbyte::pgsource {
namespace {

using Check = sdk::ValidationResult::Check;
using CheckStatus = sdk::ValidationResult::Status;

Check FailedCheck(std::string name, const Status& error) {
  return sdk::ValidationResult::Failed(std::move(name), pgconn::ToConnectorError(error));
}

// A cdc stream (SPEC §14.1): with `cdc_reset` in the request, drop its slot (and the
// publication rapidbyte created) for `state reset`; otherwise check every prerequisite.
Check CheckCdcStream(pgwire::Connection* conn, const pgconn::QualifiedName& relation,
                     const protocol::Json& context_json, const std::string& name) {
  auto settings = ParseCdcSettings(context_json);
  if (!settings.ok()) return FailedCheck(name, settings.status());
  if (const protocol::Json* reset = protocol::GetMember(context_json, "cdc_reset");
      reset != nullptr && reset->is_boolean() && reset->get<bool>()) {
    auto done = DropCdcObjects(conn, *settings);
    if (!done.ok()) return FailedCheck(name, done.status());
    return Check{name, CheckStatus::kSuccess, *done};
  }
  Status ready = CheckCdcPrerequisites(conn, *settings, relation);
  if (!ready.ok()) return FailedCheck(name, ready);
  return Check{name, CheckStatus::kSuccess,
               relation.Display() + " can be streamed (slot " + settings->slot +
                   ", publication " + settings->publication + ")"};
}

Check CheckStream(pgwire::Connection* conn, const SourceConfig& config,
                  const protocol::Json& context_json) {
  std::string stream_name;
  protocol::GetString(context_json, "stream_name", &stream_name);
  std::string name = "stream " + stream_name;
  auto context = sdk::StreamContext::Parse(context_json);
  if (!context.ok()) return sdk::ValidationResult::Failed(name, context.error());
  if (context->incremental() && !context->cursor()) {
    return sdk::ValidationResult::Failed(
        name, sdk::ConfigError("cursor_info.cursor_field", "incremental sync needs one"));
  }
  const pgconn::QualifiedName relation =
      pgconn::SplitStreamName(context->stream_name(), config.pg.schema);
  auto catalog = LookupRelation(conn, relation);
  if (!catalog.ok()) return FailedCheck(name, catalog.status());
  const std::string cursor_field =
      context->incremental() ? context->cursor()->field : std::string();
  auto plan = MakeReadPlan(relation, std::move(*catalog), context->selected_columns(),
                           cursor_field);
  if (!plan.ok()) return FailedCheck(name, plan.status());
  if (context->sync_mode() == sdk::SyncMode::kCdc) return CheckCdcStream(conn, relation, context_json, name);
  if (context->incremental()) {
    const pgwire::PgColumn& cursor = plan->selected[static_cast<std::size_t>(plan->cursor_index)];
    if (!cursor.not_null) {
      return Check{name, CheckStatus::kWarning,
                   "cursor column '" + cursor_field + "' of " + relation.Display() +
                       " is nullable; rows with a NULL cursor are never read by incremental "
                       "sync"};
    }
  }
  return Check{name, CheckStatus::kSuccess,
               relation.Display() + " is readable (" + std::to_string(plan->columns.size()) +
                   " columns)"};
}

}  // namespace

sdk::ValidationResult Validate(const protocol::Json& config_json, const protocol::Json& request) {
  std::vector<Check> checks;
  auto config = ParseSourceConfig(config_json);
  if (!config.ok()) {
    checks.push_back(sdk::ValidationResult::Failed("config", config.error()));
    return sdk::ValidationResult::Of(std::move(checks));
  }
  auto conn = pgconn::Connect(config->pg);
  if (!conn.ok()) {
    checks.push_back(FailedCheck("connection", conn.status()));
    return sdk::ValidationResult::Of(std::move(checks));
  }
  checks.push_back(Check{"connection", CheckStatus::kSuccess,
                         "Connected to " + config->pg.Describe() + " (" +
                             pgconn::ServerVersion(**conn) + ", TLS " +
                             ((*conn)->tls_active() ? "on" : "off") + ")"});
  if (const protocol::Json* streams = protocol::GetMember(request, "streams");
      streams != nullptr && streams->is_array()) {
    for (const protocol::Json& context : *streams) {
      checks.push_back(CheckStream(conn->get(), *config, context));
    }
  }
  (*conn)->Terminate().IgnoreError();
  return sdk::ValidationResult::Of(std::move(checks));
}

}  // namespace rapidbyte::pgsource
