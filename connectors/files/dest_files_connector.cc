// dest-files as an SDK Destination (SPEC §16): Open checks the config; Write runs the SDK's
// WriteSession over a FilesTarget; Validate (`rapidbyte check`) makes sure the directory can
// be created and written, or (s3://) that the bucket answers HeadBucket.
#include <optional>
#include <string>

#include "connectors/files/files_config.h"
#include "connectors/files/files_target.h"
#include "connectors/files/local_dir.h"
#include "connectors/files/s3_store.h"
#include "sdk/exports.h"
#include "sdk/write_session.h"

namespace {

namespace files = rapidbyte::files;
namespace sdk = rb::sdk;
using sdk::Json;
using Check = sdk::ValidationResult::Check;
using CheckStatus = sdk::ValidationResult::Status;

constexpr const char* kConnectorId = "rapidbyte/dest-files";

sdk::Outcome<files::FilesConfig> ParseForThisBuild(const Json& config) {
  return files::ParseFilesConfig(config);
}

// Write and remove a probe file in the directory. `check` does not create a missing
// directory (the engine creates it before a run, as the manifest's config_path asks), and a
// missing one is not visible in the sandbox: it is reported as to be created.
Check DirectoryCheck(const files::FilesConfig& config) {
  if (config.s3) {
    auto bucket = files::CheckS3Bucket(config.s3_config);
    if (!bucket.ok()) return sdk::ValidationResult::Failed("bucket", bucket.error());
    return Check{"bucket", CheckStatus::kSuccess,
                 "s3://" + config.s3_config.bucket + " at " + config.s3_config.endpoint +
                     " is reachable"};
  }
  if (!files::Exists(config.path)) {
    return Check{"directory", CheckStatus::kSuccess,
                 config.path + " will be created by the first run"};
  }
  const std::string probe = config.path + "/.rapidbyte-check";
  files::OutputFile file;
  auto made = file.Open(probe);
  if (made.ok()) made = file.Close();
  if (made.ok()) made = files::RemoveFile(probe);
  if (!made.ok()) return sdk::ValidationResult::Failed("directory", made.error());
  return Check{"directory", CheckStatus::kSuccess, config.path + " is writable"};
}

class FilesDestination final : public sdk::Destination {
 public:
  FilesDestination() { set_connector_id(kConnectorId); }

  sdk::Outcome<sdk::OpenInfo> Open(const Json& config) override {
    auto parsed = ParseForThisBuild(config);
    if (!parsed.ok()) return parsed.error();
    Log(sdk::LogLevel::kInfo, std::string("dest-files: open with path=") + parsed->path +
                                  " format=" + files::FormatName(parsed->format) +
                                  " compression=" + files::CompressionName(parsed->compression));
    config_ = std::move(*parsed);
    sdk::OpenInfo info;
    info.features.push_back("exactly_once");
    return info;
  }

  sdk::Outcome<sdk::ValidationResult> Validate(const Json& config, const Json& /*request*/) override {
    auto parsed = ParseForThisBuild(config);
    if (!parsed.ok()) {
      return sdk::ValidationResult::Of({sdk::ValidationResult::Failed("config", parsed.error())});
    }
    return sdk::ValidationResult::Of({DirectoryCheck(*parsed)});
  }

  sdk::Outcome<Json> Write(const sdk::StreamContext& context) override {
    if (!config_) {
      return sdk::InternalError("PROTOCOL_VIOLATION", "rb_run_write called before rb_open");
    }
    if (context.write_mode() == sdk::WriteMode::kUpsert) {
      return sdk::ConfigError("write_mode", "upsert is not supported by dest-files (use append "
                                            "or replace)");
    }
    files::FilesTarget target(*config_, context);
    auto summary = sdk::WriteSession(*this, context, target).Run();
    if (!summary.ok()) return summary.error();
    return summary->ToJson();
  }

 private:
  std::optional<files::FilesConfig> config_;
};

}  // namespace

RB_DESTINATION(FilesDestination);
