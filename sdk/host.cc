// Typed host calls over the buffer-managing wrappers of sdk/raw_abi.h.
#include "sdk/host.h"

#include <algorithm>
#include <utility>

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

static_assert(static_cast<std::int32_t>(Codec::kZstd) == RB_CODEC_ZSTD &&
              static_cast<std::int32_t>(Codec::kLz4) == RB_CODEC_LZ4 &&
              static_cast<std::int32_t>(Codec::kSnappy) == RB_CODEC_SNAPPY &&
              static_cast<std::int32_t>(Codec::kGzip) == RB_CODEC_GZIP);

namespace {

constexpr std::pair<Codec, std::string_view> kCodecNames[] = {
    {Codec::kZstd, "zstd"}, {Codec::kLz4, "lz4"}, {Codec::kSnappy, "snappy"},
    {Codec::kGzip, "gzip"}};

// A compression call's outcome. The host's message already names the call.
Outcome<void> CodecOutcome(std::int32_t rc) {
  if (rc == RB_OK) return {};
  if (rc == RB_CANCELLED) return CancelledError();
  if (rc == RB_ERR) return LastError();
  return InternalError("HOST_CALL_FAILED", "compression host call returned " + std::to_string(rc));
}

}  // namespace

std::string_view CodecName(Codec codec) {
  for (const auto& [c, name] : kCodecNames) {
    if (c == codec) return name;
  }
  return "unknown";
}

std::optional<Codec> ParseCodec(std::string_view name) {
  for (const auto& [c, codec_name] : kCodecNames) {
    if (codec_name == name) return c;
  }
  return std::nullopt;
}

Outcome<void> Compress(Codec codec, std::span<const std::uint8_t> input, std::string* out,
                       int level) {
  // Every codec's worst case is a little over the input: room for it and some headroom.
  const std::size_t first = input.size() + input.size() / 8 + 1024;
  return CodecOutcome(raw::ReadGrowing(out, first, [&](std::uint32_t ptr, std::uint32_t cap,
                                                       std::uint32_t len_ptr) {
    return rb_host_compress(static_cast<std::int32_t>(codec), level, raw::Addr(input.data()),
                            static_cast<std::uint32_t>(input.size()), ptr, cap, len_ptr);
  }));
}

Outcome<void> Decompress(Codec codec, std::span<const std::uint8_t> input, std::string* out) {
  constexpr std::size_t kMaxGuess = std::size_t{16} << 20;
  const std::size_t first =
      std::max(out->capacity(), std::min(input.size(), kMaxGuess / 4) * 4 + 1024);
  return CodecOutcome(raw::ReadGrowing(out, first, [&](std::uint32_t ptr, std::uint32_t cap,
                                                       std::uint32_t len_ptr) {
    return rb_host_decompress(static_cast<std::int32_t>(codec), raw::Addr(input.data()),
                              static_cast<std::uint32_t>(input.size()), ptr, cap, len_ptr);
  }));
}

bool IsCancelled() { return rb_host_is_cancelled() == 1; }
bool StopRequested() { return rb_host_is_cancelled() == 2; }

}  // namespace rapidbyte::sdk::host
