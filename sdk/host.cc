// Typed host calls over the buffer-managing wrappers of sdk.h.
#include "sdk/host.h"

#include "sdk/errors.h"
#include "sdk/sdk.h"

namespace rapidbyte::sdk::host {

ConnectorError LastError() {
  const std::string text = sdk::LastError();
  if (auto json = protocol::ParseJson(text); json && json->is_object()) {
    if (auto error = ConnectorError::FromJson(*json); error.ok()) return *error;
  }
  return InternalError("HOST_CALL_FAILED", text.empty() ? "host call failed" : text);
}

void Log(LogLevel level, std::string_view message) { sdk::Log(static_cast<int>(level), message); }

Outcome<void> EmitFrame(std::span<const std::uint8_t> frame) {
  const std::int32_t rc = sdk::EmitBatch(frame);
  if (rc == RB_OK) return {};
  if (rc == RB_CANCELLED) return CancelledError();
  return Rewrap(LastError(), "EMIT_FAILED");
}

Outcome<bool> NextFrame(std::vector<std::uint8_t>* buffer, std::uint32_t max_bytes) {
  switch (sdk::NextBatch(buffer, max_bytes)) {
    case NextStatus::kFrame:
      return true;
    case NextStatus::kEnd:
      return false;
    case NextStatus::kUpstreamFailed:
      return InternalError("UPSTREAM_FAILED", "upstream failed");
    case NextStatus::kCancelled:
      return CancelledError();
    case NextStatus::kError:
      break;
  }
  return Rewrap(LastError(), "NEXT_FAILED");
}

Outcome<void> Checkpoint(CheckpointKind kind, std::string_view connector_id,
                         std::string_view stream, const protocol::Json& checkpoint) {
  if (sdk::Checkpoint(static_cast<std::int32_t>(kind), connector_id, stream,
                      protocol::Dump(checkpoint)) == RB_OK) {
    return {};
  }
  return Rewrap(LastError(), "CHECKPOINT_FAILED");
}

void Counter(std::string_view connector_id, std::string_view stream, std::string_view name,
             std::int64_t value) {
  sdk::EmitCounter(connector_id, stream, name, value);
}

Outcome<std::optional<std::string>> StateGet(StateScope scope, std::string_view key) {
  std::string value;
  const std::int32_t rc = sdk::StateGet(static_cast<std::int32_t>(scope), key, &value);
  if (rc == 1) return std::optional<std::string>(std::move(value));
  if (rc == 0) return std::optional<std::string>();
  return Rewrap(LastError(), "STATE_FAILED");
}

Outcome<void> StatePut(StateScope scope, std::string_view key, std::string_view value) {
  if (sdk::StatePut(static_cast<std::int32_t>(scope), key, value) == RB_OK) return {};
  return Rewrap(LastError(), "STATE_FAILED");
}

Outcome<std::string> CommitToken() {
  std::string token;
  const std::int32_t rc = sdk::CommitToken(&token);
  if (rc == RB_OK) return token;
  if (rc == RB_CANCELLED) return CancelledError();
  return Rewrap(LastError(), "COMMIT_TOKEN_FAILED");
}

Outcome<bool> ReportCommit(std::string_view token) {
  const std::int32_t rc = sdk::ReportCommit(token);
  if (rc == 0 || rc == 1) return rc == 1;
  return Rewrap(LastError(), "REPORT_FAILED");
}

bool IsCancelled() { return rb_host_is_cancelled() == 1; }

}  // namespace rapidbyte::sdk::host
