// Connector: what every role shares (SPEC §4.4) — open with the parsed config, validate,
// close — and the host calls every role may make (log, metrics, state). Connector authors
// derive from Source, Destination or Transform (sdk/source.h, ...) and name the class in
// one macro (RB_SOURCE, ... in sdk/exports.h), which generates the exports.
//
// One instance per WebAssembly instance, single-threaded; the SDK constructs it on the
// first call, so a constructor runs before rb_open and may set the connector id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/errors.h"
#include "sdk/host.h"
#include "sdk/outcome.h"
#include "sdk/stream_context.h"

#include "protocol/json.h"
#include "protocol/messages.h"

namespace rapidbyte::sdk {

using protocol::Json;
using protocol::OpenInfo;

/// A ValidationResult (SPEC §4.10).
struct ValidationResult {
  enum class Status { kSuccess, kFailed, kWarning };
  struct Check {
    Check() = default;
    Check(std::string name_, Status status_, std::string message_, std::string category_ = "",
          std::string code_ = "")
        : name(std::move(name_)),
          status(status_),
          message(std::move(message_)),
          category(std::move(category_)),
          code(std::move(code_)) {}
    std::string name;
    Status status = Status::kSuccess;
    std::string message;
    std::string category;  ///< of a failed check's error; omitted when empty
    std::string code;      ///< likewise
    /// A stream check's plan when the ValidateRequest asked for one (`"plan": true`, the
    /// dry run): what the stream's write would do. Null when absent (omitted).
    Json plan;
  };
  Status status = Status::kSuccess;
  std::string message = "ok";
  std::vector<Check> checks;
  Json ToJson() const;
  /// A failed check from the error that made it fail (its category, code and message).
  static Check Failed(std::string name, const ConnectorError& error);
  /// The status and message of `checks`: the first failed check's message, else the first
  /// warning's, else "all checks passed".
  static ValidationResult Of(std::vector<Check> checks);
};

class Connector {
 public:
  virtual ~Connector() = default;

  /// rb_open: `config` is the pipeline's config object for this connector (OpenContext
  /// config.json; an empty object when absent). Default: no features, 4 MiB batches.
  virtual Outcome<OpenInfo> Open(const Json& config);
  /// rb_validate (`check`; no Open before it): `request` is the whole ValidateRequest,
  /// for its "streams". Default: success with no checks.
  virtual Outcome<ValidationResult> Validate(const Json& config, const Json& request);
  /// rb_close, after success or failure. A non-zero result is logged by the host.
  virtual std::int32_t Close() { return 0; }

  /// The config of the last Open/Validate/Discover (an empty object before any).
  const Json& config() const { return config_; }
  /// The id put in metric and checkpoint envelopes: the one set by the constructor, else
  /// the OpenContext's connector_id.
  const std::string& connector_id() const { return connector_id_; }
  /// The stream of the current run call ("" outside one).
  const std::string& stream_name() const { return stream_name_; }

  /// Used by the generated exports (sdk/exports.h); not for connector code.
  void SdkBeginCall(const Json& request, bool keep_config);
  void SdkBeginRun(const StreamContext& context) { stream_name_ = context.stream_name(); }

 protected:
  void set_connector_id(std::string id) { connector_id_ = std::move(id); }

  void Log(LogLevel level, std::string_view message) { host::Log(level, message); }
  /// A cumulative counter for the current stream (e.g. records_read after every frame).
  void Counter(std::string_view name, std::int64_t value) {
    host::Counter(connector_id_, stream_name_, name, value);
  }
  Outcome<std::optional<std::string>> StateGet(StateScope scope, std::string_view key) {
    return host::StateGet(scope, key);
  }
  Outcome<void> StatePut(StateScope scope, std::string_view key, std::string_view value) {
    return host::StatePut(scope, key, value);
  }
  bool IsCancelled() { return host::IsCancelled(); }

 private:
  Json config_ = Json::object();
  std::string connector_id_;
  std::string stream_name_;
};

}  // namespace rapidbyte::sdk
