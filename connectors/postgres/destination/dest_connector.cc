// dest-postgres as an SDK Destination (SPEC §4.5, §8): Open checks the config and keeps it
// for the single Write of this instance; Write runs the SDK's WriteSession over a
// PgWriteTarget, which holds everything about PostgreSQL. The SDK generates the exports.
#include <optional>
#include <string>

#include "connectors/postgres/destination/dest_config.h"
#include "connectors/postgres/destination/names.h"
#include "connectors/postgres/destination/validate.h"
#include "connectors/postgres/destination/write_request.h"
#include "connectors/postgres/destination/write_target.h"
#include "sdk/exports.h"
#include "sdk/write_session.h"

namespace {

namespace pgdest = rapidbyte::pgdest;
namespace sdk = rb::sdk;
using sdk::Json;

class PostgresDestination final : public sdk::Destination {
 public:
  PostgresDestination() { set_connector_id(std::string(pgdest::kConnectorId)); }

  sdk::Outcome<sdk::OpenInfo> Open(const Json& config) override {
    auto parsed = pgdest::ParseDestConfig(config);
    if (!parsed.ok()) return parsed.error();
    Log(sdk::LogLevel::kInfo, "dest-postgres: open with host=" + parsed->pg.host +
                                  " db=" + parsed->pg.database + " schema=" + parsed->pg.schema +
                                  " load_method=" + pgdest::LoadMethodName(parsed->load_method));
    sdk::OpenInfo info;
    info.features.push_back("exactly_once");
    if (parsed->load_method == pgdest::LoadMethod::kCopy) {
      info.features.push_back("bulk_load_copy");
    }
    config_ = std::move(*parsed);
    return info;
  }

  sdk::Outcome<sdk::ValidationResult> Validate(const Json& config, const Json& request) override {
    return pgdest::Validate(config, request);
  }

  sdk::Outcome<Json> Write(const sdk::StreamContext& context) override {
    if (!config_) {
      return sdk::InternalError("PROTOCOL_VIOLATION", "rb_run_write called before rb_open");
    }
    if (context.stream_name().empty()) return sdk::ConfigError("stream_name", "is required");
    auto request = pgdest::MakeWriteRequest(context);
    if (!request.ok()) return request.error();
    request->soft_delete = config_->soft_delete;
    pgdest::PgWriteTarget target(*config_, std::move(*request));
    auto summary = sdk::WriteSession(*this, context, target).Run();
    if (!summary.ok()) return summary.error();
    return summary->ToJson();
  }

 private:
  std::optional<pgdest::DestConfig> config_;
};

}  // namespace

RB_DESTINATION(PostgresDestination);
