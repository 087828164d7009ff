// Round trips, ratios and failure handling of the frame codecs (SPEC §5.4).
#include "engine/core/compression.h"

#include <gtest/gtest.h>

#include <random>

namespace rapidbyte::engine {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes RandomBytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  // Eight bytes per draw keeps the 64 MiB case fast under the sanitizers.
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t r = rng();
    for (std::size_t k = 0; k < 8 && i + k < n; ++k) {
      out[i + k] = static_cast<std::uint8_t>(r >> (8 * k));
    }
  }
  return out;
}

class CodecTest : public ::testing::TestWithParam<Codec> {};

void ExpectRoundTrip(Codec codec, const Bytes& input) {
  auto compressed = Compress(codec, input);
  ASSERT_TRUE(compressed.ok()) << compressed.status().ToString();
  auto back = Decompress(codec, *compressed, input.size());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == input);
  // The copy-free form agrees.
  Bytes into(input.size(), 0xAB);
  ASSERT_TRUE(DecompressInto(codec, *compressed, into).ok());
  EXPECT_TRUE(into == input);
}

TEST_P(CodecTest, EmptyInputRoundTrips) { ExpectRoundTrip(GetParam(), {}); }

TEST_P(CodecTest, IncompressibleMegabyteRoundTrips) {
  ExpectRoundTrip(GetParam(), RandomBytes(1 << 20, 1));
}

TEST_P(CodecTest, SixtyFourMegabyteFrameRoundTrips) {
  // Mixed content: runs and noise, the size of the largest default frame.
  Bytes input = RandomBytes(64u << 20, 2);
  for (std::size_t i = 0; i < input.size(); i += 4096) {
    std::fill_n(input.begin() + static_cast<std::ptrdiff_t>(i), 2048, std::uint8_t{7});
  }
  ExpectRoundTrip(GetParam(), input);
}

TEST_P(CodecTest, WrongExpectedLengthFails) {
  const Bytes input = RandomBytes(1000, 3);
  auto compressed = Compress(GetParam(), input);
  ASSERT_TRUE(compressed.ok());
  for (std::size_t wrong : {std::size_t{0}, std::size_t{999}, std::size_t{1001},
                            std::size_t{1} << 20}) {
    auto back = Decompress(GetParam(), *compressed, wrong);
    EXPECT_FALSE(back.ok()) << wrong;
    EXPECT_TRUE(IsDecompressionFailed(back.status())) << back.status().ToString();
  }
}

TEST_P(CodecTest, CorruptedInputFailsCleanly) {
  const Bytes input = RandomBytes(64 << 10, 4);
  auto compressed = Compress(GetParam(), input);
  ASSERT_TRUE(compressed.ok());
  std::mt19937_64 rng(5);
  int failures = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Bytes bad = *compressed;
    // Flip a few bytes, or truncate, or append garbage; each must fail or (rarely, for a
    // flip inside literal bytes) decode to the right length — never crash.
    switch (trial % 3) {
      case 0:
        for (int k = 0; k < 4; ++k) {
          bad[rng() % bad.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        }
        break;
      case 1: bad.resize(rng() % bad.size()); break;
      default: bad.push_back(static_cast<std::uint8_t>(rng())); break;
    }
    auto back = Decompress(GetParam(), bad, input.size());
    if (!back.ok()) {
      ++failures;
      EXPECT_TRUE(IsDecompressionFailed(back.status())) << back.status().ToString();
    }
  }
  // Truncation and appended bytes always fail; flips usually do (none for kNone).
  EXPECT_GE(failures, 200);
}

TEST_P(CodecTest, GarbageNeverCrashes) {
  for (std::size_t n : {0, 1, 3, 4, 5, 16, 4096}) {
    const Bytes garbage = RandomBytes(n, 100 + n);
    for (std::size_t expected : {std::size_t{0}, n, std::size_t{8192}}) {
      auto back = Decompress(GetParam(), garbage, expected);
      if (!back.ok()) {
        EXPECT_TRUE(IsDecompressionFailed(back.status()));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecTest,
                         ::testing::Values(Codec::kNone, Codec::kLz4, Codec::kZstd),
                         [](const ::testing::TestParamInfo<Codec>& param) {
                           return std::string(CodecName(param.param));
                         });

TEST(CompressionTest, RepeatedBytesCompressToLessThanHalf) {
  const Bytes input(10000, 0x42);
  for (Codec codec : {Codec::kLz4, Codec::kZstd}) {
    auto compressed = Compress(codec, input);
    ASSERT_TRUE(compressed.ok());
    EXPECT_LT(compressed->size(), input.size() / 2) << CodecName(codec);
  }
}

TEST(CompressionTest, Lz4PrefixIsLittleEndianLength) {
  const Bytes input(0x010203, 1);
  auto compressed = Compress(Codec::kLz4, input);
  ASSERT_TRUE(compressed.ok());
  ASSERT_GE(compressed->size(), 4u);
  EXPECT_EQ((*compressed)[0], 0x03);
  EXPECT_EQ((*compressed)[1], 0x02);
  EXPECT_EQ((*compressed)[2], 0x01);
  EXPECT_EQ((*compressed)[3], 0x00);
}

TEST(CompressionTest, ZstdRejectsTwoConcatenatedFrames) {
  const Bytes input(100, 9);
  auto one = Compress(Codec::kZstd, input);
  ASSERT_TRUE(one.ok());
  Bytes two = *one;
  two.insert(two.end(), one->begin(), one->end());
  auto back = Decompress(Codec::kZstd, two, 200);
  EXPECT_TRUE(IsDecompressionFailed(back.status()));
}

TEST(CompressionTest, OtherErrorsAreNotDecompressionFailures) {
  EXPECT_FALSE(IsDecompressionFailed(Status::OK()));
  EXPECT_FALSE(IsDecompressionFailed(Status::Internal("x")));
}

}  // namespace
}  // namespace rapidbyte::engine
