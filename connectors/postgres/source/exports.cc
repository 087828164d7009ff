// source-postgres: the connector's exports (SPEC §4.5, §7). Each export decodes its JSON
// request, runs one step, and answers with a ConnectorResult envelope; errors are classified
// at this boundary only (pgconn::ToConnectorError).
//
// State between calls of one instance: rb_open keeps the parsed config and the connector id
// for rb_run_read (instances are single-threaded and never reused across streams).
#include <optional>
#include <string>

#include "connectors/postgres/common/pg_config.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/source/discover.h"
#include "connectors/postgres/source/read_stream.h"
#include "connectors/postgres/source/source_config.h"
#include "connectors/postgres/source/stream_request.h"
#include "connectors/postgres/source/validate.h"
#include "protocol/messages.h"
#include "sdk/sdk.h"

namespace {

namespace pgconn = rapidbyte::pgconn;
namespace pgsource = rapidbyte::pgsource;
namespace protocol = rapidbyte::protocol;
namespace sdk = rapidbyte::sdk;
using rapidbyte::Result;
using rapidbyte::Status;

struct InstanceState {
  std::optional<pgsource::SourceConfig> config;
  std::string connector_id = "rapidbyte/source-postgres";
};

InstanceState& State() {
  static InstanceState state;
  return state;
}

std::int64_t InvalidConfig(const Status& status) {
  return pgconn::RespondStatus(
      pgconn::Fail(pgconn::ErrorCategory::kConfig, "INVALID_CONFIG", status.message()));
}

// The request's config, checked (SPEC §7.1); no connection is made.
Result<pgsource::SourceConfig> ConfigOf(const protocol::Json& request) {
  RB_ASSIGN_OR_RETURN(protocol::Json config, pgconn::ConfigObject(request));
  return pgsource::ParseSourceConfig(config);
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  auto request = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!request.ok()) return InvalidConfig(request.status());
  auto config = ConfigOf(*request);
  if (!config.ok()) return InvalidConfig(config.status());
  protocol::GetString(*request, "connector_id", &State().connector_id);
  sdk::Log(RB_LOG_INFO, "source-postgres: open with " + config->pg.Describe() +
                            " schema=" + config->pg.schema);
  State().config = std::move(*config);
  protocol::OpenInfo info;  // no features; 4 MiB default batches (SPEC §7.1)
  return pgconn::RespondOk(info.ToJson());
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t ptr, uint32_t len) {
  auto request = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!request.ok()) return InvalidConfig(request.status());
  return pgconn::RespondOk(pgsource::Validate(*request));
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t ptr, uint32_t len) {
  auto request = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!request.ok()) return InvalidConfig(request.status());
  auto config = ConfigOf(*request);
  if (!config.ok()) return InvalidConfig(config.status());
  auto catalog = pgsource::Discover(*config);
  if (!catalog.ok()) return pgconn::RespondStatus(catalog.status(), {false, "discover"});
  return pgconn::RespondOk(*catalog);
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  if (!State().config) {
    return InvalidConfig(Status::FailedPrecondition("rb_run_read called before rb_open"));
  }
  auto context = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!context.ok()) return InvalidConfig(context.status());
  auto request = pgsource::ParseStreamRequest(*context);
  if (!request.ok()) return InvalidConfig(request.status());
  auto summary = pgsource::ReadStream(*State().config, State().connector_id, *request);
  if (!summary.ok()) {
    return pgconn::RespondStatus(summary.status(), {false, "stream " + request->stream_name});
  }
  return pgconn::RespondOk(summary->ToJson());
}

__attribute__((export_name("rb_close"))) int32_t rb_close() {
  State().config.reset();
  return 0;
}

}  // extern "C"
