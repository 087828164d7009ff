// Typed host calls over the buffer-managing wrappers of sdk/raw_abi.h.
#include "sdk/host.h"

#include "sdk/errors.h"
#include "sdk/raw_abi.h"

namespace rapidbyte::sdk::host {

ConnectorError LastError() {
  const std::string text = raw::LastError();
  if (auto json = protocol::ParseJson(text); json && json->is_object()) {
    if (auto error = ConnectorError::FromJson(*json); error.ok()) return *error;
  }
  return InternalError("HOST_CALL_FAILED", text.empty() ? "host call failed" : text);
}

namespace {

// The host's own error for a failed call, kept whole (its category and code say what went
// wrong, e.g. BATCH_TOO_LARGE or STATE_QUOTA_EXCEEDED) with the ABI call named in the
// message.
ConnectorError Failed(const char* call) {
  ConnectorError error = LastError();
  error.message = std::string(call) + ": " + error.message;
  return error;
}

}  // namespace

void Log(LogLevel level, std::string_view message) { raw::Log(static_cast<int>(level), message); }

Outcome<void> EmitFrame(std::span<const std::uint8_t> frame) {
  const std::int32_t rc = raw::EmitBatch(frame);
  if (rc == RB_OK) return {};
  if (rc == RB_CANCELLED) return CancelledError();
  return Failed("rb_host_emit_batch");
}

Outcome<bool> NextFrame(std::vector<std::uint8_t>* buffer, std::uint32_t max_bytes) {
  switch (raw::NextBatch(buffer, max_bytes)) {
    case raw::NextStatus::kFrame:
      return true;
    case raw::NextStatus::kEnd:
      return false;
    case raw::NextStatus::kUpstreamFailed:
      return InternalError("UPSTREAM_FAILED", "upstream failed");
    case raw::NextStatus::kCancelled:
      return CancelledError();
    case raw::NextStatus::kError:
      break;
  }
  return Failed("rb_host_next_batch");
}

Outcome<void> Checkpoint(CheckpointKind kind, std::string_view connector_id,
                         std::string_view stream, const protocol::Json& checkpoint) {
  if (raw::Checkpoint(static_cast<std::int32_t>(kind), connector_id, stream,
                      protocol::Dump(checkpoint)) == RB_OK) {
    return {};
  }
  return Failed("rb_host_checkpoint");
}

void Counter(std::string_view connector_id, std::string_view stream, std::string_view name,
             std::int64_t value) {
  raw::EmitCounter(connector_id, stream, name, value);
}

Outcome<std::optional<std::string>> StateGet(StateScope scope, std::string_view key) {
  std::string value;
  const std::int32_t rc = raw::StateGet(static_cast<std::int32_t>(scope), key, &value);
  if (rc == 1) return std::optional<std::string>(std::move(value));
  if (rc == 0) return std::optional<std::string>();
  return Failed("rb_host_state_get");
}

Outcome<void> StatePut(StateScope scope, std::string_view key, std::string_view value) {
  if (raw::StatePut(static_cast<std::int32_t>(scope), key, value) == RB_OK) return {};
  return Failed("rb_host_state_put");
}

Outcome<std::string> CommitToken() {
  std::string token;
  const std::int32_t rc = raw::CommitToken(&token);
  if (rc == RB_OK) return token;
  if (rc == RB_CANCELLED) return CancelledError();
  return Failed("rb_host_commit_token");
}

Outcome<bool> ReportCommit(std::string_view token) {
  const std::int32_t rc = raw::ReportCommit(token);
  if (rc == 0 || rc == 1) return rc == 1;
  return Failed("rb_host_report_commit");
}

Outcome<protocol::Json> CommittedPosition() {
  std::string text;
  if (raw::CommittedPosition(&text) != RB_OK) return Failed("rb_host_committed_position");
  auto doc = protocol::ParseJson(text);
  if (!doc) return InternalError("PROTOCOL_VIOLATION", "rb_host_committed_position: not JSON");
  return std::move(*doc);
}

bool IsCancelled() { return rb_host_is_cancelled() == 1; }
bool StopRequested() { return rb_host_is_cancelled() == 2; }

}  // namespace rapidbyte::sdk::host
