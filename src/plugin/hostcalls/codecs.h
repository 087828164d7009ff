// The codecs behind rb_host_compress and rb_host_decompress (SPEC §16.3): zstd, LZ4 frames,
// raw snappy blocks and gzip (RFC 1952), so that no connector carries its own copy of a
// codec. The host calls (codec_calls.cc) add the guest-memory handling and the limits.
//
// Every failure is an error Status carrying plugin::HostErrorDetail, with the codec named in
// the message:
//   INVALID_COMPRESSION_LEVEL (internal)  a level outside the codec's range;
//   COMPRESSION_FAILED (internal)         the library refused (out of memory);
//   DECOMPRESSION_FAILED (data)           corrupt, truncated or trailing bytes;
//   UNCOMPRESSED_TOO_LARGE (data)         the output would exceed `max_output`.
// A cancelled call returns StatusCode::kCancelled (no detail). Nothing here crashes or
// allocates beyond its bound on hostile input.
//
// Thread-safe: codec contexts are per thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "abi/rapidbyte_abi.h"
#include "arrow/byte_buffer.h"
#include "base/status.h"

namespace rapidbyte::plugin::codecs {

enum class Codec : std::int32_t {
  kZstd = RB_CODEC_ZSTD,
  kLz4 = RB_CODEC_LZ4,
  kSnappy = RB_CODEC_SNAPPY,
  kGzip = RB_CODEC_GZIP,
};

/// The codec an RB_CODEC_* number names; nullopt for any other number.
std::optional<Codec> FromAbi(std::int32_t number);
/// "zstd", "lz4", "snappy", "gzip".
std::string_view Name(Codec codec);

inline constexpr std::string_view kInvalidLevel = "INVALID_COMPRESSION_LEVEL";
inline constexpr std::string_view kCompressionFailed = "COMPRESSION_FAILED";
inline constexpr std::string_view kDecompressionFailed = "DECOMPRESSION_FAILED";
inline constexpr std::string_view kTooLarge = "UNCOMPRESSED_TOO_LARGE";

/// Output goes into an arrow::ByteBuffer: malloc'd, grown with realloc (a large block moves
/// by remapping, not by a second copy alive at the same time) and never zero-filled.
using Buffer = arrow::ByteBuffer;

/// Replace `*out` with `input` compressed as one stream of `codec` at `level` (0: the codec's
/// default; zstd ZSTD_minCLevel()..22, lz4 1..12, gzip 1..9, snappy has none). `cancelled`
/// (nullable) is polled between 1 MiB pieces.
Status Compress(Codec codec, int level, std::span<const std::uint8_t> input, Buffer* out,
                const std::atomic<bool>* cancelled = nullptr);

/// Replace `*out` with `input` decompressed, refusing output beyond `max_output` bytes before
/// writing more than max_output + 1 of them. Concatenated zstd frames, LZ4 frames and gzip
/// members decode as one; a zlib stream is accepted as gzip. Empty input is not a stream.
Status Decompress(Codec codec, std::span<const std::uint8_t> input, std::size_t max_output,
                  Buffer* out, const std::atomic<bool>* cancelled = nullptr);

}  // namespace rapidbyte::plugin::codecs
