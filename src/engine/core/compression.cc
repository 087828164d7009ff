// Frame compression with liblz4 (block API) and libzstd (one frame, level 1).
#include "engine/core/compression.h"

#include <lz4.h>
#include <zstd.h>

#include <cstring>
#include <memory>
#include <string>

// Only the header-only HostErrorDetail is used, so no link dependency on rb_plugin.
#include "plugin/host_error.h"

namespace rapidbyte::engine {
namespace {

constexpr int kZstdLevel = 1;
constexpr std::size_t kLz4PrefixBytes = 4;

Status CodecError(std::string_view code, std::string message) {
  return Status(StatusCode::kInternal, std::move(message))
      .WithDetail(std::make_shared<plugin::HostErrorDetail>(protocol::ErrorCategory::kInternal,
                                                            std::string(code)));
}

Status DecompressError(Codec codec, const std::string& why) {
  return CodecError(kDecompressionFailed,
                    std::string(CodecName(codec)) + " frame decompression failed: " + why);
}

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread: creating a zstd context costs more than compressing a small frame.
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  return cctx.get();
}
ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  return dctx.get();
}

Result<std::vector<std::uint8_t>> CompressLz4(std::span<const std::uint8_t> input) {
  if (input.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) {
    return CodecError(kCompressionFailed, "lz4 cannot compress a frame of " +
                                              std::to_string(input.size()) + " bytes");
  }
  const int size = static_cast<int>(input.size());
  std::vector<std::uint8_t> out(kLz4PrefixBytes +
                                static_cast<std::size_t>(LZ4_compressBound(size)));
  const auto n = static_cast<std::uint32_t>(size);
  for (std::size_t i = 0; i < kLz4PrefixBytes; ++i) {
    out[i] = static_cast<std::uint8_t>(n >> (8 * i));
  }
  const int written = LZ4_compress_default(reinterpret_cast<const char*>(input.data()),
                                           reinterpret_cast<char*>(out.data() + kLz4PrefixBytes),
                                           size, static_cast<int>(out.size() - kLz4PrefixBytes));
  if (written <= 0) return CodecError(kCompressionFailed, "lz4 compression failed");
  out.resize(kLz4PrefixBytes + static_cast<std::size_t>(written));
  return out;
}

Result<std::vector<std::uint8_t>> CompressZstd(std::span<const std::uint8_t> input) {
  ZSTD_CCtx* cctx = ThreadCCtx();
  if (cctx == nullptr) return CodecError(kCompressionFailed, "cannot allocate a zstd context");
  std::vector<std::uint8_t> out(ZSTD_compressBound(input.size()));
  const std::size_t written =
      ZSTD_compressCCtx(cctx, out.data(), out.size(), input.data(), input.size(), kZstdLevel);
  if (ZSTD_isError(written)) {
    return CodecError(kCompressionFailed,
                      std::string("zstd compression failed: ") + ZSTD_getErrorName(written));
  }
  out.resize(written);
  return out;
}

Status DecompressLz4(std::span<const std::uint8_t> input, std::span<std::uint8_t> output) {
  if (input.size() < kLz4PrefixBytes + 1) return DecompressError(Codec::kLz4, "frame too short");
  std::uint32_t recorded = 0;
  for (std::size_t i = 0; i < kLz4PrefixBytes; ++i) {
    recorded |= static_cast<std::uint32_t>(input[i]) << (8 * i);
  }
  if (recorded != output.size()) {
    return DecompressError(Codec::kLz4, "length prefix " + std::to_string(recorded) +
                                            " differs from the expected " +
                                            std::to_string(output.size()));
  }
  const std::size_t body = input.size() - kLz4PrefixBytes;
  if (body > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE) ||
      output.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) {
    return DecompressError(Codec::kLz4, "frame too large");
  }
  // LZ4 rejects a null destination even at capacity 0, so empty output gets a dummy byte.
  char dummy = 0;
  char* dst = output.empty() ? &dummy : reinterpret_cast<char*>(output.data());
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(input.data() + kLz4PrefixBytes),
                                    dst, static_cast<int>(body), static_cast<int>(output.size()));
  if (n < 0) return DecompressError(Codec::kLz4, "corrupt block");
  if (static_cast<std::size_t>(n) != output.size()) {
    return DecompressError(Codec::kLz4, "decoded " + std::to_string(n) + " bytes, expected " +
                                            std::to_string(output.size()));
  }
  return Status::OK();
}

Status DecompressZstd(std::span<const std::uint8_t> input, std::span<std::uint8_t> output) {
  // Exactly one frame: anything after it (a second frame, garbage) is corruption.
  const std::size_t frame = ZSTD_findFrameCompressedSize(input.data(), input.size());
  if (ZSTD_isError(frame)) {
    return DecompressError(Codec::kZstd, ZSTD_getErrorName(frame));
  }
  if (frame != input.size()) {
    return DecompressError(Codec::kZstd, std::to_string(input.size() - frame) +
                                             " bytes after the frame");
  }
  ZSTD_DCtx* dctx = ThreadDCtx();
  if (dctx == nullptr) return DecompressError(Codec::kZstd, "cannot allocate a zstd context");
  std::uint8_t dummy = 0;
  std::uint8_t* dst = output.empty() ? &dummy : output.data();
  const std::size_t n = ZSTD_decompressDCtx(dctx, dst, output.size(), input.data(), input.size());
  if (ZSTD_isError(n)) {
    // A frame larger than expected lands here too ("Destination buffer is too small").
    return DecompressError(Codec::kZstd, ZSTD_getErrorName(n));
  }
  if (n != output.size()) {
    return DecompressError(Codec::kZstd, "decoded " + std::to_string(n) + " bytes, expected " +
                                             std::to_string(output.size()));
  }
  return Status::OK();
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone: return "none";
    case Codec::kLz4: return "lz4";
    case Codec::kZstd: return "zstd";
  }
  return "none";
}

Result<std::vector<std::uint8_t>> Compress(Codec codec, std::span<const std::uint8_t> input) {
  switch (codec) {
    case Codec::kLz4: return CompressLz4(input);
    case Codec::kZstd: return CompressZstd(input);
    case Codec::kNone: break;
  }
  return std::vector<std::uint8_t>(input.begin(), input.end());
}

Status DecompressInto(Codec codec, std::span<const std::uint8_t> input,
                      std::span<std::uint8_t> output) {
  switch (codec) {
    case Codec::kLz4: return DecompressLz4(input, output);
    case Codec::kZstd: return DecompressZstd(input, output);
    case Codec::kNone: break;
  }
  if (input.size() != output.size()) {
    return DecompressError(codec, "frame of " + std::to_string(input.size()) +
                                      " bytes, expected " + std::to_string(output.size()));
  }
  if (!input.empty()) std::memcpy(output.data(), input.data(), input.size());
  return Status::OK();
}

Result<std::vector<std::uint8_t>> Decompress(Codec codec, std::span<const std::uint8_t> input,
                                             std::size_t expected_size) {
  // Refuse absurd sizes before allocating: a frame never decodes beyond the codec's limit.
  if (codec == Codec::kLz4 && expected_size > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) {
    return DecompressError(codec, "expected size " + std::to_string(expected_size) +
                                      " exceeds the lz4 limit");
  }
  std::vector<std::uint8_t> out(expected_size);
  RB_RETURN_NOT_OK(DecompressInto(codec, input, out));
  return out;
}

bool IsDecompressionFailed(const Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || detail->type_id() != plugin::HostErrorDetail::kTypeId) return false;
  return static_cast<const plugin::HostErrorDetail&>(*detail).code == kDecompressionFailed;
}

}  // namespace rapidbyte::engine
