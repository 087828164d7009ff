// source-postgres as an SDK Source (SPEC §4.5, §7): Open checks the config and keeps it for
// Read; Validate, Discover and Read each run one step. Errors are classified at this edge
// only (pgconn::ToConnectorError); the SDK generates the exports.
//
// Instances are single-threaded and never reused across streams.
#include <optional>
#include <string>

#include "connectors/postgres/common/pg_config.h"
#include "connectors/postgres/common/pg_errors.h"
#include "connectors/postgres/source/cdc_read.h"
#include "connectors/postgres/source/discover.h"
#include "connectors/postgres/source/read_stream.h"
#include "connectors/postgres/source/source_config.h"
#include "connectors/postgres/source/validate.h"
#include "sdk/exports.h"

namespace {

namespace pgconn = rapidbyte::pgconn;
namespace pgsource = rapidbyte::pgsource;
namespace sdk = rb::sdk;
using sdk::Json;

class PostgresSource final : public sdk::Source {
 public:
  PostgresSource() { set_connector_id("rapidbyte/source-postgres"); }

  sdk::Outcome<sdk::OpenInfo> Open(const Json& config) override {
    auto parsed = pgsource::ParseSourceConfig(config);
    if (!parsed.ok()) return parsed.error();
    Log(sdk::LogLevel::kInfo, "source-postgres: open with " + parsed->pg.Describe() +
                                  " schema=" + parsed->pg.schema);
    config_ = std::move(*parsed);
    return sdk::OpenInfo{};  // no features; 4 MiB default batches (SPEC §7.1)
  }

  sdk::Outcome<sdk::ValidationResult> Validate(const Json& config, const Json& request) override {
    return pgsource::Validate(config, request);
  }

  sdk::Outcome<Json> Discover(const Json& config) override {
    auto parsed = pgsource::ParseSourceConfig(config);
    if (!parsed.ok()) return parsed.error();
    auto catalog = pgsource::Discover(*parsed);
    if (!catalog.ok()) return pgconn::ToConnectorError(catalog.status(), {false, "discover"});
    return std::move(*catalog);
  }

  sdk::Outcome<Json> Read(const sdk::StreamContext& context) override {
    if (!config_) {
      return sdk::InternalError("PROTOCOL_VIOLATION", "rb_run_read called before rb_open");
    }
    if (context.stream_name().empty()) return sdk::ConfigError("stream_name", "is required");
    if (context.sync_mode() == sdk::SyncMode::kCdc) {
      auto summary = pgsource::ReadCdcStream(*config_, *this, context);
      if (!summary.ok()) {
        return pgconn::ToConnectorError(summary.status(), {false, "stream " + context.stream_name()});
      }
      return summary->ToJson();
    }
    if (context.incremental() && !context.cursor()) {
      return sdk::ConfigError("cursor_info.cursor_field", "stream " + context.stream_name() +
                                                              ": incremental sync needs one");
    }
    auto summary = pgsource::ReadStream(*config_, *this, context);
    if (!summary.ok()) {
      return pgconn::ToConnectorError(summary.status(), {false, "stream " + context.stream_name()});
    }
    return summary->ToJson();
  }

 private:
  std::optional<pgsource::SourceConfig> config_;
};

}  // namespace

RB_SOURCE(PostgresSource);
