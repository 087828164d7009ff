// The host's codecs over libzstd, liblz4 (lz4frame), libsnappy (its C API) and zlib.
// Compression feeds the libraries 1 MiB at a time so that a slow level (zstd 19, lz4 12,
// gzip 9) still notices cancellation; decompression streams into a Buffer that grows by
// doubling, offering the decoder room up to the caller's limit + 1 byte, so output past the
// limit is seen without ever writing more.
#include "plugin/hostcalls/codecs.h"

#define ZLIB_CONST
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_customMem, ZSTD_createCCtx_advanced
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include <lz4frame.h>
#include <snappy-c.h>

#include "plugin/host_error.h"

namespace rapidbyte::plugin::codecs {

namespace {

using protocol::ErrorCategory;

// Input handed to a library per call while compressing (and compressed input while
// inflating): the granularity at which cancellation is noticed.
constexpr std::size_t kPiece = std::size_t{1} << 20;
// zstd compresses inputs up to this in one call (no cancellation check inside: at level 19
// that is about a second, at the default a few milliseconds).
constexpr std::size_t kOneShot = 2 * kPiece;
// The first output buffer of a decompression whose size the input does not declare.
constexpr std::size_t kFirstOutput = std::size_t{64} << 10;
// zstd levels above this ("ultra", 20-22) need contexts of up to 650 MiB for large inputs.
constexpr int kMaxZstdLevel = 19;

Status CodecError(StatusCode status_code, ErrorCategory category, std::string_view code,
                  std::string message) {
  return Status(status_code, std::move(message))
      .WithDetail(std::make_shared<HostErrorDetail>(category, std::string(code)));
}

std::string Prefix(Codec codec) { return std::string(Name(codec)) + ": "; }

Status CompressFailed(Codec codec, std::string_view why) {
  return CodecError(StatusCode::kInternal, ErrorCategory::kInternal, kCompressionFailed,
                    Prefix(codec) + "compression failed: " + std::string(why));
}

Status Corrupt(Codec codec, std::string_view why) {
  return CodecError(StatusCode::kDataLoss, ErrorCategory::kData, kDecompressionFailed,
                    Prefix(codec) + "corrupt input: " + std::string(why));
}

Status DecompressOutOfMemory(Codec codec) {
  return CodecError(StatusCode::kResourceExhausted, ErrorCategory::kInternal, kDecompressionFailed,
                    Prefix(codec) + "out of memory while decompressing");
}

std::string Bytes(std::size_t n) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (n % kMiB == 0 && n > 0) return std::to_string(n / kMiB) + " MiB";
  return std::to_string(n) + " bytes";
}

Status TooLarge(Codec codec, std::size_t max_output) {
  return CodecError(StatusCode::kResourceExhausted, ErrorCategory::kData, kTooLarge,
                    Prefix(codec) + "the data decompresses to more than " + Bytes(max_output) +
                        ", the limit on uncompressed data");
}

Status DeclaresTooLarge(Codec codec, std::uint64_t declared, std::size_t max_output) {
  return CodecError(StatusCode::kResourceExhausted, ErrorCategory::kData, kTooLarge,
                    Prefix(codec) + "the data declares " + std::to_string(declared) +
                        " uncompressed bytes, more than the limit of " + Bytes(max_output));
}

Status Cancelled(Codec codec) { return Status::Cancelled(Prefix(codec) + "cancelled"); }

bool IsCancelled(const std::atomic<bool>* cancelled) {
  return cancelled != nullptr && cancelled->load(std::memory_order_relaxed);
}

Status CheckLevel(Codec codec, int level, int min, int max) {
  if (level == 0 || (level >= min && level <= max)) return Status::OK();
  return CodecError(StatusCode::kInvalidArgument, ErrorCategory::kInternal, kInvalidLevel,
                    Prefix(codec) + "compression level " + std::to_string(level) +
                        " is out of range (" + std::to_string(min) + " to " + std::to_string(max) +
                        ", or 0 for the default)");
}

// A pointer a library may read 0 bytes from (some reject null even then).
const std::uint8_t* NonNull(std::span<const std::uint8_t> input) {
  static constexpr std::uint8_t kNothing = 0;
  return input.data() != nullptr ? input.data() : &kNothing;
}

// ---- Per-thread contexts: creating one costs more than compressing a small page. ----

struct ZstdCFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
struct Lz4CFree {
  void operator()(LZ4F_cctx* c) const { LZ4F_freeCompressionContext(c); }
};
struct Lz4DFree {
  void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};

// A zstd context reallocates its workspace whenever an input's size calls for other table
// sizes (Parquet pages of a few kilobytes and of a megabyte alternate). Blocks of 256 KiB
// and more are mapped directly (main.cc), so every new workspace would fault all its pages
// in again: the thread keeps its largest freed block and hands it out again when it fits.
class ZstdBlocks {
 public:
  ~ZstdBlocks() { std::free(kept_); }
  static void* Alloc(void*, std::size_t size) {
    ZstdBlocks& t = Thread();
    if (t.kept_ != nullptr && SizeOf(t.kept_) >= size) return Payload(std::exchange(t.kept_, nullptr));
    auto* block = static_cast<std::size_t*>(std::malloc(kHeader + size));
    if (block == nullptr) return nullptr;
    *block = size;
    return Payload(block);
  }
  static void Free(void*, void* payload) {
    if (payload == nullptr) return;
    ZstdBlocks& t = Thread();
    void* block = static_cast<char*>(payload) - kHeader;
    if (SizeOf(block) > kMaxKept) return std::free(block);
    if (t.kept_ != nullptr && SizeOf(t.kept_) >= SizeOf(block)) return std::free(block);
    std::free(std::exchange(t.kept_, block));
  }

 private:
  static constexpr std::size_t kHeader = alignof(std::max_align_t);  // holds the size
  static constexpr std::size_t kMaxKept = std::size_t{64} << 20;
  static ZstdBlocks& Thread() {
    thread_local ZstdBlocks blocks;
    return blocks;
  }
  static std::size_t SizeOf(void* block) { return *static_cast<std::size_t*>(block); }
  static void* Payload(void* block) { return static_cast<char*>(block) + kHeader; }
  void* kept_ = nullptr;
};

ZSTD_CCtx* ZstdCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, ZstdCFree> ctx(
      ZSTD_createCCtx_advanced({&ZstdBlocks::Alloc, &ZstdBlocks::Free, nullptr}));
  return ctx.get();
}
ZSTD_DCtx* ZstdDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}
LZ4F_cctx* Lz4CCtx() {
  thread_local std::unique_ptr<LZ4F_cctx, Lz4CFree> ctx([] {
    LZ4F_cctx* c = nullptr;
    return LZ4F_isError(LZ4F_createCompressionContext(&c, LZ4F_VERSION)) ? nullptr : c;
  }());
  return ctx.get();
}

// Dropped after a decompression that did not finish: LZ4F_resetDecompressionContext (lz4
// 1.9.4) keeps the remaining size of an abandoned frame, and the next frame without a content
// size then fails with ERROR_frameSize_wrong.
std::unique_ptr<LZ4F_dctx, Lz4DFree>& Lz4DCtx() {
  thread_local std::unique_ptr<LZ4F_dctx, Lz4DFree> ctx;
  if (ctx == nullptr) {
    LZ4F_dctx* d = nullptr;
    if (!LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) ctx.reset(d);
  }
  return ctx;
}

// Make room for `more` bytes after the first `used` of `out` (growing geometrically, so
// appends stay linear); false when out of memory.
bool Room(Buffer* out, std::size_t used, std::size_t more) {
  return out->Reserve(static_cast<std::int64_t>(used + more)).ok();
}

// The capacity of `out`, for the libraries' size_t counts.
std::size_t Capacity(const Buffer& out) { return static_cast<std::size_t>(out.capacity()); }

// ---- Compression ----

Status CompressZstd(int level, std::span<const std::uint8_t> input, Buffer* out,
                    const std::atomic<bool>* cancelled) {
  RB_RETURN_NOT_OK(CheckLevel(Codec::kZstd, level, ZSTD_minCLevel(), kMaxZstdLevel));
  ZSTD_CCtx* cctx = ZstdCCtx();
  if (cctx == nullptr) return CompressFailed(Codec::kZstd, "cannot allocate a context");
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  std::size_t rc = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  // A checksum, as the zstd tool writes; the content size goes into the frame header, so a
  // reader can size its buffer.
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setPledgedSrcSize(cctx, input.size());
  if (ZSTD_isError(rc)) return CompressFailed(Codec::kZstd, ZSTD_getErrorName(rc));
  if (!Room(out, 0, ZSTD_compressBound(input.size()))) {
    return CompressFailed(Codec::kZstd, "out of memory");
  }
  if (input.size() <= kOneShot) {
    // Single-pass, without the streaming API's internal window copy: a Parquet page or a
    // text chunk (a little over a piece) is most of the calls.
    const std::size_t n =
        ZSTD_compress2(cctx, out->data(), Capacity(*out), NonNull(input), input.size());
    if (ZSTD_isError(n)) return CompressFailed(Codec::kZstd, ZSTD_getErrorName(n));
    out->UnsafeSetSize(static_cast<std::int64_t>(n));
    return Status::OK();
  }
  ZSTD_outBuffer dst{out->data(), Capacity(*out), 0};
  std::size_t done = 0;
  while (true) {
    if (IsCancelled(cancelled)) return Cancelled(Codec::kZstd);
    const std::size_t piece = std::min(kPiece, input.size() - done);
    const bool last = done + piece == input.size();
    ZSTD_inBuffer src{NonNull(input) + done, piece, 0};
    std::size_t remaining = 0;
    do {
      remaining = ZSTD_compressStream2(cctx, &dst, &src, last ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(remaining)) {
        return CompressFailed(Codec::kZstd, ZSTD_getErrorName(remaining));
      }
      // The bound holds the whole frame; a full buffer with work left is a library fault.
      if (dst.pos == dst.size && remaining != 0) {
        return CompressFailed(Codec::kZstd, "output exceeded the compress bound");
      }
    } while (last ? remaining != 0 : src.pos < src.size);
    done += piece;
    if (last) break;
  }
  out->UnsafeSetSize(static_cast<std::int64_t>(dst.pos));
  return Status::OK();
}

Status CompressLz4(int level, std::span<const std::uint8_t> input, Buffer* out,
                   const std::atomic<bool>* cancelled) {
  RB_RETURN_NOT_OK(CheckLevel(Codec::kLz4, level, 1, LZ4F_compressionLevel_max()));
  LZ4F_cctx* cctx = Lz4CCtx();
  if (cctx == nullptr) return CompressFailed(Codec::kLz4, "cannot allocate a context");
  LZ4F_preferences_t prefs{};
  prefs.compressionLevel = level;
  prefs.frameInfo.contentSize = input.size();
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  if (!Room(out, 0, LZ4F_compressFrameBound(input.size(), &prefs))) {
    return CompressFailed(Codec::kLz4, "out of memory");
  }
  std::size_t used = 0;
  std::size_t rc = LZ4F_compressBegin(cctx, out->data(), Capacity(*out), &prefs);
  if (LZ4F_isError(rc)) return CompressFailed(Codec::kLz4, LZ4F_getErrorName(rc));
  used += rc;
  for (std::size_t done = 0; done < input.size();) {
    if (IsCancelled(cancelled)) return Cancelled(Codec::kLz4);
    const std::size_t piece = std::min(kPiece, input.size() - done);
    if (!Room(out, used, LZ4F_compressBound(piece, &prefs))) {
      return CompressFailed(Codec::kLz4, "out of memory");
    }
    rc = LZ4F_compressUpdate(cctx, out->data() + used, Capacity(*out) - used, input.data() + done,
                             piece, nullptr);
    if (LZ4F_isError(rc)) return CompressFailed(Codec::kLz4, LZ4F_getErrorName(rc));
    used += rc;
    done += piece;
  }
  if (!Room(out, used, LZ4F_compressBound(0, &prefs))) {
    return CompressFailed(Codec::kLz4, "out of memory");
  }
  rc = LZ4F_compressEnd(cctx, out->data() + used, Capacity(*out) - used, nullptr);
  if (LZ4F_isError(rc)) return CompressFailed(Codec::kLz4, LZ4F_getErrorName(rc));
  out->UnsafeSetSize(static_cast<std::int64_t>(used + rc));
  return Status::OK();
}

Status CompressSnappy(int level, std::span<const std::uint8_t> input, Buffer* out) {
  if (level != 0) {
    return CodecError(StatusCode::kInvalidArgument, ErrorCategory::kInternal, kInvalidLevel,
                      Prefix(Codec::kSnappy) + "compression level " + std::to_string(level) +
                          " is out of range (snappy has no levels: pass 0)");
  }
  std::size_t size = snappy_max_compressed_length(input.size());
  if (!Room(out, 0, size)) return CompressFailed(Codec::kSnappy, "out of memory");
  if (snappy_compress(reinterpret_cast<const char*>(NonNull(input)), input.size(),
                      reinterpret_cast<char*>(out->data()), &size) != SNAPPY_OK) {
    return CompressFailed(Codec::kSnappy, "snappy_compress failed");
  }
  out->UnsafeSetSize(static_cast<std::int64_t>(size));
  return Status::OK();
}

struct DeflateEnd {
  void operator()(z_stream* zs) const { deflateEnd(zs); }
};
struct InflateEnd {
  void operator()(z_stream* zs) const { inflateEnd(zs); }
};

// zlib counts in 32-bit uInt.
uInt ZlibSize(std::size_t n) { return static_cast<uInt>(std::min<std::size_t>(n, UINT_MAX)); }

Status CompressGzip(int level, std::span<const std::uint8_t> input, Buffer* out,
                    const std::atomic<bool>* cancelled) {
  RB_RETURN_NOT_OK(CheckLevel(Codec::kGzip, level, 1, 9));
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&zs, level == 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return CompressFailed(Codec::kGzip, "cannot allocate a deflate stream");
  }
  std::unique_ptr<z_stream, DeflateEnd> end(&zs);
  if (!Room(out, 0, deflateBound(&zs, input.size()))) {
    return CompressFailed(Codec::kGzip, "out of memory");
  }
  std::size_t used = 0;
  std::size_t done = 0;
  while (true) {
    if (IsCancelled(cancelled)) return Cancelled(Codec::kGzip);
    const std::size_t piece = std::min(kPiece, input.size() - done);
    const bool last = done + piece == input.size();
    zs.next_in = NonNull(input) + done;
    zs.avail_in = static_cast<uInt>(piece);
    int rc = Z_OK;
    do {
      if (!Room(out, used, 1)) return CompressFailed(Codec::kGzip, "out of memory");
      zs.next_out = out->data() + used;
      zs.avail_out = ZlibSize(Capacity(*out) - used);
      const uInt offered = zs.avail_out;
      rc = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
      used += offered - zs.avail_out;
      if (rc == Z_STREAM_ERROR) return CompressFailed(Codec::kGzip, "deflate failed");
    } while (last ? rc != Z_STREAM_END : zs.avail_in > 0);
    done += piece;
    if (last) break;
  }
  out->UnsafeSetSize(static_cast<std::int64_t>(used));
  return Status::OK();
}

// ---- Decompression ----

// The output of one decompression: `used` bytes of `buffer`. The decoders are offered room
// up to max + 1 bytes only, so output past the limit shows without more being written.
class Output {
 public:
  Output(Codec codec, Buffer* buffer, std::size_t max)
      : codec_(codec), buffer_(buffer), max_(max) {}

  /// Size the buffer for `declared` bytes when the input says how many (refusing more than
  /// the limit at once), else for a guess from the input's size.
  Status Start(std::optional<std::uint64_t> declared, std::size_t input_size) {
    std::size_t first = 0;
    if (declared) {
      if (*declared > max_) return DeclaresTooLarge(codec_, *declared, max_);
      first = static_cast<std::size_t>(*declared) + 1;
    } else {
      first = std::min(Limit(), std::max(kFirstOutput, input_size * 4));
    }
    return Room(buffer_, 0, first) ? Status::OK() : DecompressOutOfMemory(codec_);
  }

  /// Free space after the output; grows the buffer when full. Fails past the limit.
  Status MakeRoom() {
    if (used_ > max_) return TooLarge(codec_, max_);
    if (room() > 0) return Status::OK();
    return Room(buffer_, used_, 1) ? Status::OK() : DecompressOutOfMemory(codec_);
  }
  std::uint8_t* at() { return buffer_->data() + used_; }
  std::size_t room() const { return std::min(Capacity(*buffer_), Limit()) - used_; }
  /// Record `n` more bytes written at at(); fails when that passes the limit.
  Status Produced(std::size_t n) {
    used_ += n;
    return used_ > max_ ? TooLarge(codec_, max_) : Status::OK();
  }
  void Finish() { buffer_->UnsafeSetSize(static_cast<std::int64_t>(used_)); }

 private:
  std::size_t Limit() const { return max_ == SIZE_MAX ? max_ : max_ + 1; }

  Codec codec_;
  Buffer* buffer_;
  std::size_t max_;
  std::size_t used_ = 0;
};

Status DecompressZstd(std::span<const std::uint8_t> input, Output* out,
                      const std::atomic<bool>* cancelled) {
  ZSTD_DCtx* dctx = ZstdDCtx();
  if (dctx == nullptr) return DecompressOutOfMemory(Codec::kZstd);
  // The default window limit (2^27) stays: no frame makes the context allocate more.
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
  std::optional<std::uint64_t> declared;
  // The first frame's content size (more frames may follow: a lower bound).
  const unsigned long long size = ZSTD_getFrameContentSize(input.data(), input.size());
  if (size != ZSTD_CONTENTSIZE_ERROR && size != ZSTD_CONTENTSIZE_UNKNOWN) declared = size;
  RB_RETURN_NOT_OK(out->Start(declared, input.size()));
  ZSTD_inBuffer src{input.data(), input.size(), 0};
  while (true) {
    if (IsCancelled(cancelled)) return Cancelled(Codec::kZstd);
    RB_RETURN_NOT_OK(out->MakeRoom());
    ZSTD_outBuffer dst{out->at(), out->room(), 0};
    const std::size_t consumed_before = src.pos;
    const std::size_t rc = ZSTD_decompressStream(dctx, &dst, &src);
    if (ZSTD_isError(rc)) return Corrupt(Codec::kZstd, ZSTD_getErrorName(rc));
    RB_RETURN_NOT_OK(out->Produced(dst.pos));
    if (src.pos == src.size) {
      if (rc == 0) return Status::OK();  // the last frame ended with the input
      if (dst.pos < dst.size) return Corrupt(Codec::kZstd, "truncated frame");
    } else if (rc != 0 && dst.pos == 0 && src.pos == consumed_before && dst.size > 0) {
      return Corrupt(Codec::kZstd, "the decoder made no progress");
    }
  }
}

Status DecodeLz4(LZ4F_dctx* dctx, std::span<const std::uint8_t> input, Output* out,
                 const std::atomic<bool>* cancelled) {
  // The first frame's header, for its content size (the rest of the input follows it).
  LZ4F_frameInfo_t info{};
  std::size_t at = input.size();
  std::size_t rc = LZ4F_getFrameInfo(dctx, &info, input.data(), &at);
  if (LZ4F_isError(rc)) return Corrupt(Codec::kLz4, LZ4F_getErrorName(rc));
  std::optional<std::uint64_t> declared;
  if (info.frameType == LZ4F_frame && info.contentSize != 0) declared = info.contentSize;
  RB_RETURN_NOT_OK(out->Start(declared, input.size()));
  while (true) {
    if (IsCancelled(cancelled)) return Cancelled(Codec::kLz4);
    RB_RETURN_NOT_OK(out->MakeRoom());
    std::size_t written = out->room();
    std::size_t consumed = input.size() - at;
    rc = LZ4F_decompress(dctx, out->at(), &written, input.data() + at, &consumed, nullptr);
    if (LZ4F_isError(rc)) return Corrupt(Codec::kLz4, LZ4F_getErrorName(rc));
    RB_RETURN_NOT_OK(out->Produced(written));
    at += consumed;
    if (at == input.size()) {
      if (rc == 0) return Status::OK();  // the last frame ended with the input
      if (out->room() > 0) return Corrupt(Codec::kLz4, "truncated frame");
    } else if (rc != 0 && written == 0 && consumed == 0) {
      return Corrupt(Codec::kLz4, "the decoder made no progress");
    }
  }
}

Status DecompressLz4(std::span<const std::uint8_t> input, Output* out,
                     const std::atomic<bool>* cancelled) {
  auto& dctx = Lz4DCtx();
  if (dctx == nullptr) return DecompressOutOfMemory(Codec::kLz4);
  Status status = DecodeLz4(dctx.get(), input, out, cancelled);
  if (!status.ok()) dctx.reset();
  return status;
}

Status DecompressSnappy(std::span<const std::uint8_t> input, Output* out) {
  const auto* src = reinterpret_cast<const char*>(input.data());
  std::size_t size = 0;
  if (snappy_uncompressed_length(src, input.size(), &size) != SNAPPY_OK) {
    return Corrupt(Codec::kSnappy, "no valid length header");
  }
  RB_RETURN_NOT_OK(out->Start(size, input.size()));
  if (snappy_uncompress(src, input.size(), reinterpret_cast<char*>(out->at()), &size) !=
      SNAPPY_OK) {
    return Corrupt(Codec::kSnappy, "invalid block");
  }
  return out->Produced(size);
}

Status DecompressGzip(std::span<const std::uint8_t> input, Output* out,
                      const std::atomic<bool>* cancelled) {
  z_stream zs{};
  // windowBits 15 + 32: a gzip member, or a zlib stream (what some older writers produced).
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return DecompressOutOfMemory(Codec::kGzip);
  std::unique_ptr<z_stream, InflateEnd> end(&zs);
  RB_RETURN_NOT_OK(out->Start(std::nullopt, input.size()));
  std::size_t fed = 0;
  while (true) {
    if (IsCancelled(cancelled)) return Cancelled(Codec::kGzip);
    RB_RETURN_NOT_OK(out->MakeRoom());
    if (zs.avail_in == 0 && fed < input.size()) {
      const std::size_t piece = std::min(kPiece, input.size() - fed);
      zs.next_in = input.data() + fed;
      zs.avail_in = static_cast<uInt>(piece);
      fed += piece;
    }
    zs.next_out = out->at();
    zs.avail_out = ZlibSize(out->room());
    const uInt offered = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    RB_RETURN_NOT_OK(out->Produced(offered - zs.avail_out));
    const bool input_done = zs.avail_in == 0 && fed == input.size();
    switch (rc) {
      case Z_STREAM_END:
        if (input_done) return Status::OK();
        inflateReset(&zs);  // another member follows (RFC 1952 §2.2)
        break;
      case Z_OK:
        break;
      case Z_BUF_ERROR:  // no progress: either side ran dry
        if (input_done) return Corrupt(Codec::kGzip, "truncated stream");
        if (zs.avail_out > 0 && zs.avail_in > 0) {
          return Corrupt(Codec::kGzip, "the decoder made no progress");
        }
        break;
      case Z_MEM_ERROR:
        return DecompressOutOfMemory(Codec::kGzip);
      case Z_NEED_DICT:
        return Corrupt(Codec::kGzip, "the stream needs a preset dictionary");
      default:
        return Corrupt(Codec::kGzip, zs.msg != nullptr ? zs.msg : "invalid stream");
    }
  }
}

}  // namespace

std::optional<Codec> FromAbi(std::int32_t number) {
  switch (number) {
    case RB_CODEC_ZSTD:
      return Codec::kZstd;
    case RB_CODEC_LZ4:
      return Codec::kLz4;
    case RB_CODEC_SNAPPY:
      return Codec::kSnappy;
    case RB_CODEC_GZIP:
      return Codec::kGzip;
    default:
      return std::nullopt;
  }
}

std::string_view Name(Codec codec) {
  switch (codec) {
    case Codec::kZstd:
      return "zstd";
    case Codec::kLz4:
      return "lz4";
    case Codec::kSnappy:
      return "snappy";
    case Codec::kGzip:
      return "gzip";
  }
  return "unknown";
}

Status Compress(Codec codec, int level, std::span<const std::uint8_t> input, Buffer* out,
                const std::atomic<bool>* cancelled) {
  out->Clear();
  if (IsCancelled(cancelled)) return Cancelled(codec);
  switch (codec) {
    case Codec::kZstd:
      return CompressZstd(level, input, out, cancelled);
    case Codec::kLz4:
      return CompressLz4(level, input, out, cancelled);
    case Codec::kSnappy:
      return CompressSnappy(level, input, out);
    case Codec::kGzip:
      return CompressGzip(level, input, out, cancelled);
  }
  return CompressFailed(codec, "unknown codec");
}

Status Decompress(Codec codec, std::span<const std::uint8_t> input, std::size_t max_output,
                  Buffer* out, const std::atomic<bool>* cancelled) {
  out->Clear();
  if (IsCancelled(cancelled)) return Cancelled(codec);
  if (input.empty()) return Corrupt(codec, "empty input (a compressed stream is never empty)");
  Output output(codec, out, max_output);
  Status status;
  switch (codec) {
    case Codec::kZstd:
      status = DecompressZstd(input, &output, cancelled);
      break;
    case Codec::kLz4:
      status = DecompressLz4(input, &output, cancelled);
      break;
    case Codec::kSnappy:
      status = DecompressSnappy(input, &output);
      break;
    case Codec::kGzip:
      status = DecompressGzip(input, &output, cancelled);
      break;
  }
  if (status.ok()) output.Finish();
  return status;
}

}  // namespace rapidbyte::plugin::codecs
