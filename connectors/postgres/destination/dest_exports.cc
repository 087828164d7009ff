// dest-postgres: the connector's exports (SPEC §4.5, §8). rb_open checks the config and keeps
// it for the single run call of this instance; rb_run_write runs one WriteSession.
#include <optional>
#include <string>

#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/destination/dest_config.h"
#include "connectors/postgres/destination/validate.h"
#include "connectors/postgres/destination/write_request.h"
#include "connectors/postgres/destination/write_session.h"
#include "sdk/sdk.h"

#include "protocol/messages.h"

namespace pgconn = rapidbyte::pgconn;
namespace pgdest = rapidbyte::pgdest;
namespace protocol = rapidbyte::protocol;
namespace sdk = rapidbyte::sdk;

namespace {

// One instance serves one stream attempt: the config from rb_open is used by rb_run_write.
struct InstanceState {
  std::optional<pgdest::DestConfig> config;
  std::string connector_id = "rapidbyte/dest-postgres";
};
InstanceState& State() {
  static InstanceState state;
  return state;
}

std::int64_t ConfigError(const rapidbyte::Status& status) {
  return pgconn::RespondStatus(
      pgconn::Fail(pgconn::ErrorCategory::kConfig, "INVALID_CONFIG", status.message()));
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  auto request = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!request.ok()) return ConfigError(request.status());
  auto config_json = pgconn::ConfigObject(*request);
  if (!config_json.ok()) return ConfigError(config_json.status());
  auto config = pgdest::ParseDestConfig(*config_json);
  if (!config.ok()) return ConfigError(config.status());
  protocol::GetString(*request, "connector_id", &State().connector_id);
  sdk::Log(2, "dest-postgres: open with host=" + config->pg.host + " db=" + config->pg.database +
                  " schema=" + config->pg.schema +
                  " load_method=" + pgdest::LoadMethodName(config->load_method));
  protocol::OpenInfo info;
  info.features.push_back("exactly_once");
  if (config->load_method == pgdest::LoadMethod::kCopy) info.features.push_back("bulk_load_copy");
  State().config = std::move(*config);
  return pgconn::RespondOk(info.ToJson());
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t ptr, uint32_t len) {
  auto request = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!request.ok()) return ConfigError(request.status());
  return pgconn::RespondOk(pgdest::Validate(*request));
}

__attribute__((export_name("rb_run_write"))) int64_t rb_run_write(uint32_t ptr, uint32_t len) {
  if (!State().config) {
    return pgconn::RespondStatus(pgconn::Fail(pgconn::ErrorCategory::kInternal,
                                              "PROTOCOL_VIOLATION",
                                              "rb_run_write called before rb_open"));
  }
  auto doc = pgconn::ParseRequest(sdk::Request(ptr, len));
  if (!doc.ok()) return ConfigError(doc.status());
  auto request = pgdest::ParseWriteRequest(*doc);
  if (!request.ok()) return ConfigError(request.status());
  pgdest::WriteSession session(*State().config, std::move(*request), State().connector_id);
  protocol::ConnectorError error;
  auto summary = session.Run(&error);
  if (!summary.ok()) return pgconn::RespondConnectorError(error);
  return pgconn::RespondOk(summary->ToJson());
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
