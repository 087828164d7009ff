// Frame compression between stages (SPEC §5.4). The host compresses a frame inside
// rb_host_emit_batch on the producer's thread and decompresses it inside rb_host_next_batch
// on the consumer's thread; connectors only ever see uncompressed IPC.
//
// Wire forms: lz4 is the LZ4 block format preceded by the uncompressed length as a 4-byte
// little-endian u32; zstd is exactly one standard frame at level 1; none is the bytes as is.
//
// Every decompression failure — corrupt input, trailing bytes, or a length other than the
// recorded one — is an error Status carrying plugin::HostErrorDetail{internal,
// "DECOMPRESSION_FAILED"}, so the host call fails with that code and the retry policy sees
// a host-side error. Nothing here crashes on bad input.
//
// Thread-safe: codec contexts are per thread (thread_local), so calls on different threads
// never share state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::engine {

enum class Codec { kNone, kLz4, kZstd };

/// "none", "lz4", "zstd" (the spellings of resources.compression and of the results).
std::string_view CodecName(Codec codec);

inline constexpr std::string_view kDecompressionFailed = "DECOMPRESSION_FAILED";
inline constexpr std::string_view kCompressionFailed = "COMPRESSION_FAILED";

/// Compress `input` with `codec`. Fails only for inputs the codec cannot represent (lz4:
/// more than LZ4_MAX_INPUT_SIZE, about 2 GiB) or when a codec context cannot be allocated;
/// the error carries HostErrorDetail{internal, "COMPRESSION_FAILED"}.
Result<std::vector<std::uint8_t>> Compress(Codec codec, std::span<const std::uint8_t> input);

/// Decompress `input`, which must decode to exactly `expected_size` bytes.
Result<std::vector<std::uint8_t>> Decompress(Codec codec, std::span<const std::uint8_t> input,
                                             std::size_t expected_size);

/// Decompress `input` into `output`, which must be exactly the recorded uncompressed size;
/// on error `output`'s contents are unspecified. Lets the caller decode straight into the
/// buffer it will hand on, without an intermediate copy.
Status DecompressInto(Codec codec, std::span<const std::uint8_t> input,
                      std::span<std::uint8_t> output);

/// Whether `status` is a DECOMPRESSION_FAILED error from this module.
bool IsDecompressionFailed(const Status& status);

}  // namespace rapidbyte::engine
