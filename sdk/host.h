// Host calls as typed functions (SPEC §4.6): each grows its buffers as the host asks and
// turns a failure into the ConnectorError the connector would return — the host's own error
// (category and code as the host set them, the call named in the message), or CANCELLED —
// so connector code never sees a status code, a guest pointer or rb_host_last_error. The role classes
// (Source, Destination, Transform) expose these as members; they are free functions for
// code outside a connector class.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/outcome.h"

#include "protocol/json.h"

namespace rapidbyte::sdk {

enum class LogLevel : std::int32_t { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };
/// Connector state scopes (SPEC §6.4).
enum class StateScope : std::int32_t { kPipeline = 0, kStream = 1, kConnectorInstance = 2 };
enum class CheckpointKind : std::int32_t { kSource = 0, kDestination = 1, kTransform = 2 };

namespace host {

/// The host's error for the last failed call (rb_host_last_error), or an internal
/// HOST_CALL_FAILED error when it left none. Clears it.
ConnectorError LastError();

void Log(LogLevel level, std::string_view message);

/// Send one frame downstream (blocks under backpressure). Errors: CANCELLED, or
/// the host's (EMPTY_BATCH, BATCH_TOO_LARGE, SCHEMA_MISMATCH, ...).
Outcome<void> EmitFrame(std::span<const std::uint8_t> frame);

/// Receive the next frame into `*buffer`: true with a frame, false at the end of the stream.
/// Errors: UPSTREAM_FAILED (roll back, do not commit), CANCELLED, or the host's.
Outcome<bool> NextFrame(std::vector<std::uint8_t>* buffer, std::uint32_t max_bytes = 256u << 20);

/// A checkpoint (a Checkpoint object, SPEC §4.10) in the payload envelope. Error: the
/// host's (INVALID_CHECKPOINT, ...).
Outcome<void> Checkpoint(CheckpointKind kind, std::string_view connector_id,
                         std::string_view stream, const protocol::Json& checkpoint);

/// A cumulative counter metric in the payload envelope; failures are ignored, because
/// metrics never fail a run.
void Counter(std::string_view connector_id, std::string_view stream, std::string_view name,
             std::int64_t value);

/// The value of `key`, or nullopt when absent. Error: the host's (e.g. STATE_QUOTA_EXCEEDED).
Outcome<std::optional<std::string>> StateGet(StateScope scope, std::string_view key);
/// Durable when it returns. Error: the host's (e.g. STATE_QUOTA_EXCEEDED).
Outcome<void> StatePut(StateScope scope, std::string_view key, std::string_view value);

/// Destinations with exactly_once (SPEC §5.5): the token covering everything received so
/// far. Errors: CANCELLED or the host's.
Outcome<std::string> CommitToken();
/// Report the token found in the commit record (empty: none) before the first NextFrame:
/// true when that commit already completed this stream in this run (return a zero summary
/// without writing). Error: the host's.
Outcome<bool> ReportCommit(std::string_view token);

/// Sources of cdc streams (SPEC §14.3): the stream's position a destination has committed
/// (null when none yet), the most a source may confirm to its server. Error: the host's.
Outcome<protocol::Json> CommittedPosition();

/// Codecs of the host's compression functions (SPEC §16.3; RB_CODEC_* in the ABI). kLz4 is
/// the LZ4 frame format (not Parquet's LZ4_RAW block format), kSnappy the raw snappy block
/// format (Parquet's SNAPPY), kGzip RFC 1952 (Parquet's GZIP).
enum class Codec : std::int32_t { kZstd = 1, kLz4 = 2, kSnappy = 3, kGzip = 4 };

/// "zstd", "lz4", "snappy", "gzip".
std::string_view CodecName(Codec codec);
/// The codec of one of those names (exact, lower case); nullopt for anything else.
std::optional<Codec> ParseCodec(std::string_view name);

/// Replace `*out` with `input` compressed by the host at native speed, as one stream of
/// `codec` (empty input too). `level` 0 is the codec's default; otherwise zstd takes
/// -131072..19, lz4 1..12, gzip 1..9, snappy none. The first attempt has room for
/// incompressible input, so one host call is the rule. Errors: the host's
/// (INVALID_COMPRESSION_LEVEL; UNCOMPRESSED_TOO_LARGE past 256 MiB of input), CANCELLED.
Outcome<void> Compress(Codec codec, std::span<const std::uint8_t> input, std::string* out,
                       int level = 0);

/// Replace `*out` with `input` decompressed by the host (at most 256 MiB of output). The
/// first attempt offers max(out->capacity(), 4 x input up to 16 MiB) bytes, the second the
/// size the host reports: reserve the expected size (e.g. a Parquet page's
/// uncompressed_page_size) to decode in one call. Errors: the host's (DECOMPRESSION_FAILED
/// for corrupt or truncated input, UNCOMPRESSED_TOO_LARGE), CANCELLED.
Outcome<void> Decompress(Codec codec, std::span<const std::uint8_t> input, std::string* out);

/// True once the stream attempt is being cancelled.
bool IsCancelled();
/// True once the host asks a long-running stream (`run --follow`) to finish gracefully:
/// deliver what is in flight, checkpoint and return (rb_host_is_cancelled answers 2).
bool StopRequested();

}  // namespace host
}  // namespace rapidbyte::sdk
