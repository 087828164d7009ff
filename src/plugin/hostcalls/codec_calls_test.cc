// The codecs of rb_host_compress / rb_host_decompress (codecs.h), and the host calls over a
// fake linear memory: round trips of every codec, standard streams from the libraries
// themselves, the too-small reply, bounds, corrupt input and decompression bombs.
#include <wasm-rt.h>

#define ZLIB_CONST
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <lz4frame.h>
#include <nlohmann/json.hpp>
#include <snappy-c.h>

#include "plugin/host_context.h"
#include "plugin/host_error.h"
#include "plugin/hostcalls/codec_calls.h"
#include "plugin/hostcalls/codecs.h"
#include "plugin/limits.h"

namespace rapidbyte::plugin::codecs {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr Codec kAll[] = {Codec::kZstd, Codec::kLz4, Codec::kSnappy, Codec::kGzip};
constexpr std::size_t kMiB = std::size_t{1} << 20;

Bytes Random(std::size_t n, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// Text-like rows with some variety: compresses well, but not to nothing.
Bytes Compressible(std::size_t n) {
  Bytes out;
  out.reserve(n);
  for (std::uint64_t row = 0; out.size() < n; ++row) {
    const std::string line = "row " + std::to_string(row) + ",customer_" +
                             std::to_string(row % 977) + ",2024-01-" +
                             std::to_string(1 + row % 28) + ",status=active\n";
    out.insert(out.end(), line.begin(), line.end());
  }
  out.resize(n);
  return out;
}

Bytes ToBytes(std::span<const std::uint8_t> s) { return Bytes(s.begin(), s.end()); }
Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes MustCompress(Codec codec, const Bytes& input, int level = 0) {
  Buffer out;
  const Status st = Compress(codec, level, input, &out);
  EXPECT_TRUE(st.ok()) << Name(codec) << ": " << st.ToString();
  return ToBytes(out.span());
}

Result<Bytes> Inflate(Codec codec, const Bytes& input,
                      std::size_t max = limits::kMaxUncompressedBytes) {
  Buffer out;
  RB_RETURN_NOT_OK(Decompress(codec, input, max, &out));
  return ToBytes(out.span());
}

std::string CodeOf(const Status& st) { return std::string(HostErrorCode(st)); }

TEST(CodecTest, NamesAndAbiNumbers) {
  EXPECT_EQ(FromAbi(1), Codec::kZstd);
  EXPECT_EQ(FromAbi(2), Codec::kLz4);
  EXPECT_EQ(FromAbi(3), Codec::kSnappy);
  EXPECT_EQ(FromAbi(4), Codec::kGzip);
  EXPECT_EQ(FromAbi(0), std::nullopt);
  EXPECT_EQ(FromAbi(5), std::nullopt);
  EXPECT_EQ(FromAbi(-1), std::nullopt);
  EXPECT_EQ(Name(Codec::kSnappy), "snappy");
}

TEST(CodecTest, EveryCodecRoundTripsEmptySmallRandomAndCompressibleInput) {
  const std::vector<Bytes> inputs = {Bytes{}, ToBytes("hello, hello, hello"), Random(5 * kMiB),
                                     Compressible(5 * kMiB)};
  for (Codec codec : kAll) {
    for (const Bytes& input : inputs) {
      const Bytes packed = MustCompress(codec, input);
      EXPECT_FALSE(packed.empty()) << Name(codec) << ": even empty input is a stream";
      auto unpacked = Inflate(codec, packed);
      ASSERT_TRUE(unpacked.ok()) << Name(codec) << " " << input.size() << ": "
                                 << unpacked.status().ToString();
      EXPECT_TRUE(*unpacked == input) << Name(codec) << " " << input.size();
    }
    EXPECT_LT(MustCompress(codec, Compressible(5 * kMiB)).size(), 2 * kMiB) << Name(codec);
  }
}

TEST(CodecTest, LevelsWithinRangeWorkAndOthersAreRefused) {
  const Bytes input = Compressible(256 << 10);
  const std::vector<std::pair<Codec, std::vector<int>>> valid = {
      {Codec::kZstd, {-5, 1, 19}}, {Codec::kLz4, {1, 9, 12}}, {Codec::kGzip, {1, 9}}};
  for (const auto& [codec, levels] : valid) {
    for (int level : levels) {
      auto back = Inflate(codec, MustCompress(codec, input, level));
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_TRUE(*back == input) << Name(codec) << " level " << level;
    }
  }
  const std::vector<std::pair<Codec, int>> invalid = {
      {Codec::kZstd, 20}, {Codec::kZstd, -200000}, {Codec::kLz4, 13},  {Codec::kLz4, -1},
      {Codec::kGzip, 10}, {Codec::kGzip, -1},      {Codec::kSnappy, 1}};
  for (const auto& [codec, level] : invalid) {
    Buffer out;
    const Status st = Compress(codec, level, input, &out);
    ASSERT_FALSE(st.ok()) << Name(codec) << " level " << level;
    EXPECT_EQ(CodeOf(st), "INVALID_COMPRESSION_LEVEL");
    EXPECT_EQ(st.message().rfind(std::string(Name(codec)) + ": compression level " +
                                     std::to_string(level) + " is out of range",
                                 0),
              0u)
        << st.message();
  }
}

TEST(CodecTest, WritesTheStandardFormats) {
  const Bytes input = Compressible(100000);
  const Bytes zstd = MustCompress(Codec::kZstd, input);
  const Bytes lz4 = MustCompress(Codec::kLz4, input);
  const Bytes snappy = MustCompress(Codec::kSnappy, input);
  const Bytes gzip = MustCompress(Codec::kGzip, input);
  // Each decoded by the library's own one-shot API.
  Bytes out(input.size());
  EXPECT_EQ(ZSTD_getFrameContentSize(zstd.data(), zstd.size()), input.size());
  EXPECT_EQ(ZSTD_decompress(out.data(), out.size(), zstd.data(), zstd.size()), input.size());
  EXPECT_TRUE(out == input);
  EXPECT_EQ(std::memcmp(lz4.data(), "\x04\x22\x4d\x18", 4), 0);  // LZ4 frame magic
  std::size_t size = out.size();
  EXPECT_EQ(snappy_uncompress(reinterpret_cast<const char*>(snappy.data()), snappy.size(),
                              reinterpret_cast<char*>(out.data()), &size),
            SNAPPY_OK);
  EXPECT_EQ(size, input.size());
  EXPECT_EQ(gzip[0], 0x1f);  // RFC 1952 ID1 ID2 CM=deflate
  EXPECT_EQ(gzip[1], 0x8b);
  EXPECT_EQ(gzip[2], 8);
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);  // gzip only
  zs.next_in = gzip.data();
  zs.avail_in = static_cast<uInt>(gzip.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  EXPECT_EQ(zs.total_out, input.size());
  inflateEnd(&zs);
  EXPECT_TRUE(out == input);
}

// Streams written by the libraries (and other writers): no content size, several frames or
// members, a zlib stream for gzip.
TEST(CodecTest, ReadsStreamsOfOtherWriters) {
  const Bytes a = Compressible(300000);
  const Bytes b = Random(70000, 7);
  Bytes both = a;
  both.insert(both.end(), b.begin(), b.end());

  // zstd: two frames, the first written by streaming without a content size.
  Bytes zstd(ZSTD_compressBound(a.size()) + ZSTD_compressBound(b.size()));
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_outBuffer zout{zstd.data(), zstd.size(), 0};
  ZSTD_inBuffer zin{a.data(), a.size(), 0};
  ASSERT_FALSE(ZSTD_isError(ZSTD_compressStream2(cctx, &zout, &zin, ZSTD_e_continue)));
  ZSTD_inBuffer none{nullptr, 0, 0};
  ASSERT_EQ(ZSTD_compressStream2(cctx, &zout, &none, ZSTD_e_end), 0u);
  ZSTD_freeCCtx(cctx);
  zout.pos += ZSTD_compress(zstd.data() + zout.pos, zstd.size() - zout.pos, b.data(), b.size(), 3);
  zstd.resize(zout.pos);
  ASSERT_EQ(ZSTD_getFrameContentSize(zstd.data(), zstd.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  auto back = Inflate(Codec::kZstd, zstd);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == both);

  // lz4: two frames by LZ4F_compressFrame with default preferences (no content size).
  Bytes lz4(LZ4F_compressFrameBound(a.size(), nullptr) +
            LZ4F_compressFrameBound(b.size(), nullptr));
  std::size_t n = LZ4F_compressFrame(lz4.data(), lz4.size(), a.data(), a.size(), nullptr);
  ASSERT_FALSE(LZ4F_isError(n));
  const std::size_t m =
      LZ4F_compressFrame(lz4.data() + n, lz4.size() - n, b.data(), b.size(), nullptr);
  ASSERT_FALSE(LZ4F_isError(m));
  lz4.resize(n + m);
  back = Inflate(Codec::kLz4, lz4);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == both);

  // gzip: two members (as `cat a.gz b.gz`), and a zlib stream.
  Bytes gzip = MustCompress(Codec::kGzip, a);
  const Bytes second = MustCompress(Codec::kGzip, b, 1);
  gzip.insert(gzip.end(), second.begin(), second.end());
  back = Inflate(Codec::kGzip, gzip);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == both);
  uLongf zlen = compressBound(a.size());
  Bytes zlib(zlen);
  ASSERT_EQ(compress2(zlib.data(), &zlen, a.data(), a.size(), 6), Z_OK);
  zlib.resize(zlen);
  back = Inflate(Codec::kGzip, zlib);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == a);
}

TEST(CodecTest, CorruptTruncatedAndEmptyInputFailNamingTheCodec) {
  const Bytes input = Compressible(200000);
  for (Codec codec : kAll) {
    const std::string name(Name(codec));
    const Bytes good = MustCompress(codec, input);
    std::vector<std::pair<std::string, Bytes>> bad;
    bad.emplace_back("garbage", ToBytes("this is not compressed data at all, not even close"));
    bad.emplace_back("truncated", Bytes(good.begin(), good.end() - 5));
    if (codec != Codec::kSnappy) {  // snappy has no checksum: a flipped literal goes unseen
      Bytes flipped = good;
      for (std::size_t i = good.size() / 3; i < good.size() / 3 + 16; ++i) flipped[i] ^= 0x5a;
      bad.emplace_back("flipped", flipped);
    }
    Bytes trailing = good;
    trailing.insert(trailing.end(), {'j', 'u', 'n', 'k', '!', '!', '!', '!', '!', '!'});
    bad.emplace_back("trailing", trailing);
    bad.emplace_back("empty", Bytes{});
    for (const auto& [what, bytes] : bad) {
      auto r = Inflate(codec, bytes);
      ASSERT_FALSE(r.ok()) << name << " " << what;
      EXPECT_EQ(CodeOf(r.status()), "DECOMPRESSION_FAILED") << name << " " << what;
      EXPECT_EQ(r.status().message().rfind(name + ": corrupt input: ", 0), 0u)
          << r.status().message();
    }
  }
}

TEST(CodecTest, OutputPastTheLimitIsRefused) {
  const Bytes input = Compressible(10000);
  for (Codec codec : kAll) {
    const Bytes packed = MustCompress(codec, input);
    auto exact = Inflate(codec, packed, input.size());
    ASSERT_TRUE(exact.ok()) << Name(codec) << ": " << exact.status().ToString();
    EXPECT_TRUE(*exact == input);
    auto over = Inflate(codec, packed, input.size() - 1);
    ASSERT_FALSE(over.ok()) << Name(codec);
    EXPECT_EQ(CodeOf(over.status()), "UNCOMPRESSED_TOO_LARGE") << over.status().ToString();
    EXPECT_NE(over.status().message().find("9999 bytes"), std::string::npos)
        << over.status().message();
  }
}

// An lz4 decode abandoned mid-frame (here: refused at the limit) leaves nothing behind for
// the next one on the thread, a frame without a content size included (lz4 1.9.4's context
// reset keeps the abandoned frame's remaining size).
TEST(CodecTest, AnAbandonedLz4DecodeDoesNotSpoilTheNext) {
  const Bytes input = Compressible(200000);
  const Bytes packed = MustCompress(Codec::kLz4, input);
  Bytes unsized(LZ4F_compressFrameBound(input.size(), nullptr));
  unsized.resize(
      LZ4F_compressFrame(unsized.data(), unsized.size(), input.data(), input.size(), nullptr));
  const std::vector<const Bytes*> frames = {&packed, &unsized};
  for (const Bytes* abandoned : frames) {
    ASSERT_FALSE(Inflate(Codec::kLz4, *abandoned, 1000).ok());
    ASSERT_FALSE(Inflate(Codec::kLz4, Bytes(abandoned->begin(), abandoned->end() - 9)).ok());
    for (const Bytes* next : frames) {
      auto back = Inflate(Codec::kLz4, *next);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_TRUE(*back == input);
    }
  }
}

TEST(CodecTest, CancellationStopsTheWork) {
  std::atomic<bool> cancelled{true};
  const Bytes input = Compressible(3 * kMiB);
  for (Codec codec : kAll) {
    Buffer out;
    EXPECT_EQ(Compress(codec, 0, input, &out, &cancelled).code(), StatusCode::kCancelled);
    EXPECT_EQ(Decompress(codec, MustCompress(codec, input), kMiB * 8, &out, &cancelled).code(),
              StatusCode::kCancelled);
  }
}

// ---- The host calls, over a fake linear memory ----

class HostCallTest : public ::testing::Test {
 protected:
  static constexpr std::uint32_t kMemory = 32u << 20;
  static constexpr std::uint32_t kIn = 1024;        // input at 1 KiB
  static constexpr std::uint32_t kOut = 16u << 20;  // output at 16 MiB
  static constexpr std::uint32_t kLen = 16;         // the u32 length at 16
  static constexpr std::uint32_t kOutCap = kMemory - kOut;

  HostCallTest() : bytes_(kMemory) {
    memory_.data = bytes_.data();
    memory_.pages = kMemory / 65536;
    memory_.max_pages = memory_.pages;
    memory_.size = kMemory;
    host_.connector_id = "acme/test";
    host_.connector_version = "1.0";
    host_.memory = &memory_;
    host_.cancel = std::make_shared<CancellationToken>();
  }

  std::uint32_t Place(const Bytes& input) {
    EXPECT_LE(input.size(), kOut - kIn);
    if (!input.empty()) std::memcpy(bytes_.data() + kIn, input.data(), input.size());
    return static_cast<std::uint32_t>(input.size());
  }
  std::int32_t CompressCall(std::int32_t codec, std::int32_t level, std::uint32_t in_len,
                            std::uint32_t out_cap = kOutCap, std::uint32_t in_ptr = kIn,
                            std::uint32_t len_ptr = kLen) {
    return static_cast<std::int32_t>(Z_rapidbyteZ_rb_host_compress(
        &instance_, static_cast<std::uint32_t>(codec), static_cast<std::uint32_t>(level), in_ptr,
        in_len, kOut, out_cap, len_ptr));
  }
  std::int32_t DecompressCall(std::int32_t codec, std::uint32_t in_len,
                              std::uint32_t out_cap = kOutCap, std::uint32_t in_ptr = kIn,
                              std::uint32_t len_ptr = kLen) {
    return static_cast<std::int32_t>(Z_rapidbyteZ_rb_host_decompress(
        &instance_, static_cast<std::uint32_t>(codec), in_ptr, in_len, kOut, out_cap, len_ptr));
  }
  std::uint32_t Length() const {
    std::uint32_t n = 0;
    std::memcpy(&n, bytes_.data() + kLen, 4);
    return n;
  }
  Bytes Output() const { return Bytes(bytes_.begin() + kOut, bytes_.begin() + kOut + Length()); }
  // The code and message of the error the last failed call left.
  std::pair<std::string, std::string> LastError() {
    EXPECT_TRUE(host_.last_error.has_value());
    if (!host_.last_error) return {};
    const auto doc = nlohmann::json::parse(*host_.last_error);
    host_.last_error.reset();
    return {doc.value("code", ""), doc.value("message", "")};
  }

  std::vector<std::uint8_t> bytes_;
  wasm_rt_memory_t memory_{};
  HostContext host_;
  Z_rapidbyte_instance_t instance_{&host_};
};

TEST_F(HostCallTest, RoundTripThroughTheHostCalls) {
  for (Codec codec : kAll) {
    const auto number = static_cast<std::int32_t>(codec);
    for (const Bytes& input : {Bytes{}, Compressible(3 * kMiB), Random(kMiB)}) {
      ASSERT_EQ(CompressCall(number, 0, Place(input)), 1) << Name(codec);
      const Bytes packed = Output();
      ASSERT_EQ(DecompressCall(number, Place(packed)), 1)
          << Name(codec) << ": " << LastError().second;
      EXPECT_TRUE(Output() == input) << Name(codec) << " " << input.size();
    }
  }
}

TEST_F(HostCallTest, TooSmallReportsTheSizeNeeded) {
  const Bytes input = Compressible(kMiB);
  for (Codec codec : kAll) {
    const auto number = static_cast<std::int32_t>(codec);
    const std::uint32_t in_len = Place(input);
    ASSERT_EQ(CompressCall(number, 0, in_len, 10), RB_TOO_SMALL) << Name(codec);
    const std::uint32_t needed = Length();
    EXPECT_GT(needed, 10u);
    EXPECT_EQ(CompressCall(number, 0, in_len, needed), 1);
    EXPECT_EQ(Length(), needed);
    const Bytes packed = Output();
    const std::uint32_t packed_len = Place(packed);
    ASSERT_EQ(DecompressCall(number, packed_len, 0), RB_TOO_SMALL) << Name(codec);
    EXPECT_EQ(Length(), input.size());
    ASSERT_EQ(DecompressCall(number, packed_len, kMiB - 1), RB_TOO_SMALL);
    ASSERT_EQ(DecompressCall(number, packed_len, kMiB), 1);
    EXPECT_TRUE(Output() == input);
    EXPECT_FALSE(host_.last_error.has_value());
  }
}

TEST_F(HostCallTest, BadArgumentsFailWithNamedErrors) {
  const std::uint32_t in_len = Place(Compressible(1000));
  EXPECT_EQ(CompressCall(9, 0, in_len), RB_ERR);
  EXPECT_EQ(LastError(), std::make_pair(std::string("INVALID_CODEC"),
                                        std::string("rb_host_compress: codec 9 is not 1 (zstd), "
                                                    "2 (lz4), 3 (snappy) or 4 (gzip)")));
  EXPECT_EQ(DecompressCall(0, in_len), RB_ERR);
  EXPECT_EQ(LastError().first, "INVALID_CODEC");
  EXPECT_EQ(CompressCall(RB_CODEC_GZIP, 11, in_len), RB_ERR);
  EXPECT_EQ(LastError(),
            std::make_pair(std::string("INVALID_COMPRESSION_LEVEL"),
                           std::string("rb_host_compress: gzip: compression level 11 is out of "
                                       "range (1 to 9, or 0 for the default)")));
  EXPECT_EQ(DecompressCall(RB_CODEC_SNAPPY, in_len), RB_ERR);  // text is not snappy
  const auto [code, message] = LastError();
  EXPECT_EQ(code, "DECOMPRESSION_FAILED");
  EXPECT_EQ(message.rfind("rb_host_decompress: snappy: corrupt input: ", 0), 0u) << message;
}

TEST_F(HostCallTest, EveryRangeIsBoundsChecked) {
  const std::uint32_t in_len = Place(Compressible(1000));
  const std::uint32_t bad = 0xFFFFFF00u;
  EXPECT_EQ(CompressCall(RB_CODEC_ZSTD, 0, 64, kOutCap, bad), RB_ERR);
  EXPECT_EQ(LastError().second,
            "rb_host_compress: range [4294967040, 4294967104) is outside the connector's memory");
  EXPECT_EQ(CompressCall(RB_CODEC_ZSTD, 0, in_len, kOutCap + 1), RB_ERR);
  EXPECT_EQ(LastError().first, "MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(CompressCall(RB_CODEC_ZSTD, 0, in_len, kOutCap, kIn, kMemory - 3), RB_ERR);
  EXPECT_EQ(LastError().first, "MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(DecompressCall(RB_CODEC_LZ4, 0xFFFFFFFFu, kOutCap, 16), RB_ERR);  // past 4 GiB
  EXPECT_EQ(LastError().first, "MEMORY_OUT_OF_BOUNDS");
  EXPECT_EQ(DecompressCall(RB_CODEC_LZ4, in_len, kOutCap, kIn, bad), RB_ERR);
  EXPECT_EQ(LastError().first, "MEMORY_OUT_OF_BOUNDS");
  EXPECT_TRUE(host_.first_violation.has_value());
}

TEST_F(HostCallTest, CancelledCallsReturnCancelled) {
  const std::uint32_t in_len = Place(Compressible(1000));
  host_.cancel->Cancel();
  EXPECT_EQ(CompressCall(RB_CODEC_ZSTD, 0, in_len), RB_CANCELLED);
  EXPECT_EQ(DecompressCall(RB_CODEC_ZSTD, in_len), RB_CANCELLED);
}

// Bombs: small inputs that decode past limits::kMaxUncompressedBytes. Those that declare
// their size are refused before decoding; the others when the output passes the limit.
TEST_F(HostCallTest, DecompressionBombsAreRefusedAtTheLimit) {
  constexpr std::size_t kLimit = limits::kMaxUncompressedBytes;
  const std::size_t total = kLimit + kMiB;
  const Bytes zeros(kMiB, 0);
  std::vector<std::pair<Codec, Bytes>> bombs;

  // zstd, streamed without and with a content size in the header.
  for (const bool declared : {false, true}) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    if (declared) {
      ASSERT_EQ(ZSTD_CCtx_setPledgedSrcSize(cctx, total), 0u);
    }
    Bytes out(4 * kMiB);
    ZSTD_outBuffer dst{out.data(), out.size(), 0};
    for (std::size_t done = 0; done < total; done += zeros.size()) {
      ZSTD_inBuffer src{zeros.data(), zeros.size(), 0};
      const bool last = done + zeros.size() >= total;
      std::size_t left = 0;
      do {
        left = ZSTD_compressStream2(cctx, &dst, &src, last ? ZSTD_e_end : ZSTD_e_continue);
        ASSERT_FALSE(ZSTD_isError(left)) << ZSTD_getErrorName(left);
      } while (last ? left != 0 : src.pos < src.size);
    }
    ZSTD_freeCCtx(cctx);
    out.resize(dst.pos);
    ASSERT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()),
              declared ? total : ZSTD_CONTENTSIZE_UNKNOWN);
    bombs.emplace_back(Codec::kZstd, out);
  }
  {  // lz4 frame without a content size (LZ4 stops near 255:1, so this one is ~1 MiB)
    LZ4F_cctx* cctx = nullptr;
    ASSERT_FALSE(LZ4F_isError(LZ4F_createCompressionContext(&cctx, LZ4F_VERSION)));
    Bytes out(4 * kMiB);
    std::size_t used = LZ4F_compressBegin(cctx, out.data(), out.size(), nullptr);
    ASSERT_FALSE(LZ4F_isError(used));
    for (std::size_t done = 0; done < total; done += zeros.size()) {
      const std::size_t n = LZ4F_compressUpdate(cctx, out.data() + used, out.size() - used,
                                                zeros.data(), zeros.size(), nullptr);
      ASSERT_FALSE(LZ4F_isError(n)) << LZ4F_getErrorName(n);
      used += n;
    }
    const std::size_t n = LZ4F_compressEnd(cctx, out.data() + used, out.size() - used, nullptr);
    ASSERT_FALSE(LZ4F_isError(n)) << LZ4F_getErrorName(n);
    LZ4F_freeCompressionContext(cctx);
    out.resize(used + n);
    bombs.emplace_back(Codec::kLz4, out);
  }
  {  // gzip
    z_stream zs{};
    ASSERT_EQ(deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    Bytes out(4 * kMiB);
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    for (std::size_t done = 0; done < total; done += zeros.size()) {
      zs.next_in = zeros.data();
      zs.avail_in = static_cast<uInt>(zeros.size());
      const bool last = done + zeros.size() >= total;
      ASSERT_NE(deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH), Z_STREAM_ERROR);
      ASSERT_EQ(zs.avail_in, 0u);
    }
    out.resize(zs.total_out);
    deflateEnd(&zs);
    bombs.emplace_back(Codec::kGzip, out);
  }
  {  // snappy: a length header of 257 MiB (the format always declares its size)
    Bytes out;
    std::uint64_t v = total;
    for (; v >= 0x80; v >>= 7) out.push_back(static_cast<std::uint8_t>(v | 0x80));
    out.push_back(static_cast<std::uint8_t>(v));
    out.insert(out.end(), 100, 0);
    bombs.emplace_back(Codec::kSnappy, out);
  }
  for (const auto& [codec, bomb] : bombs) {
    ASSERT_LT(bomb.size(), 2 * kMiB) << Name(codec);
    EXPECT_EQ(DecompressCall(static_cast<std::int32_t>(codec), Place(bomb)), RB_ERR) << Name(codec);
    const auto [code, message] = LastError();
    EXPECT_EQ(code, "UNCOMPRESSED_TOO_LARGE") << message;
    EXPECT_EQ(message.rfind("rb_host_decompress: " + std::string(Name(codec)) + ": ", 0), 0u)
        << message;
    EXPECT_NE(message.find("256 MiB"), std::string::npos) << message;
  }
}

TEST_F(HostCallTest, InputPastTheLimitIsRefused) {
  // The range is valid (the memory is checked first), but too long for the limit.
  memory_.size = 0x7FFFFFFFu;  // pretend: the host refuses before reading anything
  EXPECT_EQ(CompressCall(RB_CODEC_LZ4, 0, (256u << 20) + 1, 0, 0), RB_ERR);
  EXPECT_EQ(LastError(), std::make_pair(std::string("UNCOMPRESSED_TOO_LARGE"),
                                        std::string("rb_host_compress: lz4: input of 268435457 "
                                                    "bytes exceeds the 256 MiB limit on "
                                                    "uncompressed data")));
  EXPECT_EQ(DecompressCall(RB_CODEC_LZ4, (256u << 20) + 1, 0, 0), RB_ERR);
  EXPECT_EQ(LastError().first, "UNCOMPRESSED_TOO_LARGE");
  memory_.size = kMemory;
}

}  // namespace
}  // namespace rapidbyte::plugin::codecs
