#include "config/byte_size.h"

#include <gtest/gtest.h>

namespace rapidbyte::config {
namespace {

TEST(ByteSizeTest, DocumentedExamples) {
  EXPECT_EQ(ParseByteSize("1024"), 1024u);
  EXPECT_EQ(ParseByteSize("512k"), 524288u);
  EXPECT_EQ(ParseByteSize("64 MiB"), 67108864u);
  EXPECT_EQ(ParseByteSize("1.5gb"), 1610612736u);
  EXPECT_EQ(ParseByteSize("100b"), 100u);
}

TEST(ByteSizeTest, UnitsAreCaseInsensitiveAndBinary) {
  EXPECT_EQ(ParseByteSize("1K"), 1024u);
  EXPECT_EQ(ParseByteSize("1KB"), 1024u);
  EXPECT_EQ(ParseByteSize("1kib"), 1024u);
  EXPECT_EQ(ParseByteSize("2 m"), 2u << 20);
  EXPECT_EQ(ParseByteSize("2Mb"), 2u << 20);
  EXPECT_EQ(ParseByteSize("3 GiB"), std::uint64_t{3} << 30);
  EXPECT_EQ(ParseByteSize("7 B"), 7u);
  EXPECT_EQ(ParseByteSize("0"), 0u);
}

TEST(ByteSizeTest, FractionsRoundDown) {
  EXPECT_EQ(ParseByteSize("1.5"), 1u);
  EXPECT_EQ(ParseByteSize("0.5k"), 512u);
  EXPECT_EQ(ParseByteSize("1.0001k"), 1024u);
  EXPECT_EQ(ParseByteSize("0.999999999999999999999g"), (std::uint64_t{1} << 30) - 1);
}

TEST(ByteSizeTest, RejectsEverythingElse) {
  for (const char* bad : {"", "64 megs", "-1mb", "-1", "1.5.5", ".5k", "5.k", "k", "1 tb",
                          "1  k x", "0x10", "1e3", " 1k", "1,000"}) {
    EXPECT_EQ(ParseByteSize(bad), std::nullopt) << bad;
  }
}

TEST(ByteSizeTest, UpperBoundIsTwoToTheSixtyTwo) {
  EXPECT_EQ(ParseByteSize("4611686018427387904"), kMaxByteSize);
  EXPECT_EQ(ParseByteSize("4611686018427387905"), std::nullopt);
  EXPECT_EQ(ParseByteSize("4294967296g"), kMaxByteSize);  // 2^32 GiB = 2^62
  EXPECT_EQ(ParseByteSize("4294967297g"), std::nullopt);
  EXPECT_EQ(ParseByteSize("99999999999999999999999999"), std::nullopt);
}

TEST(ByteSizeTest, Formatting) {
  EXPECT_EQ(FormatByteSize(16u << 20), "16 MiB");
  EXPECT_EQ(FormatByteSize(1024), "1 KiB");
  EXPECT_EQ(FormatByteSize(std::uint64_t{2} << 30), "2 GiB");
  EXPECT_EQ(FormatByteSize(100), "100 bytes");
  EXPECT_EQ(FormatByteSize(1), "1 byte");
  EXPECT_EQ(FormatByteSize(0), "0 bytes");
}

}  // namespace
}  // namespace rapidbyte::config
