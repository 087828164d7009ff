// The RLE / bit-packed hybrid encoder, checked against hand-computed bytes and against a
// small decoder written from the format description (test only).
#include "parquet/rle.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace rapidbyte::parquet {
namespace {

uint64_t ReadVarint(const std::string& in, std::size_t* pos) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const auto b = static_cast<uint8_t>(in.at((*pos)++));
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
}

std::vector<uint32_t> Decode(const std::string& in, int width, std::size_t count) {
  std::vector<uint32_t> out;
  std::size_t pos = 0;
  while (out.size() < count) {
    const uint64_t header = ReadVarint(in, &pos);
    if ((header & 1) == 0) {
      uint32_t value = 0;
      for (int b = 0; b < (width + 7) / 8; ++b) {
        value |= static_cast<uint32_t>(static_cast<uint8_t>(in.at(pos++))) << (8 * b);
      }
      out.insert(out.end(), header >> 1, value);
      continue;
    }
    const std::size_t values = (header >> 1) * 8;
    for (std::size_t i = 0; i < values; ++i) {
      uint32_t v = 0;
      for (int b = 0; b < width; ++b) {
        const std::size_t bit = i * static_cast<std::size_t>(width) + static_cast<std::size_t>(b);
        v |= static_cast<uint32_t>((static_cast<uint8_t>(in.at(pos + bit / 8)) >> (bit % 8)) & 1) << b;
      }
      out.push_back(v);
    }
    pos += (header >> 1) * static_cast<std::size_t>(width);
  }
  EXPECT_EQ(pos, in.size()) << "trailing bytes";
  out.resize(count);
  return out;
}

TEST(RleTest, HandComputedBytes) {
  std::string out;
  EncodeRleHybrid(std::vector<uint32_t>(10, 1), 1, &out);
  EXPECT_EQ(out, std::string("\x14\x01", 2));  // RLE run: 10 << 1, value 1
  out.clear();
  EncodeRleHybrid(std::vector<uint32_t>{1, 0, 1}, 1, &out);
  EXPECT_EQ(out, std::string("\x03\x05", 2));  // one bit-packed group, bits 101
  out.clear();
  EncodeLevels(std::vector<uint32_t>{3, 3}, 3, &out);  // width 2
  EXPECT_EQ(out, std::string("\x03\x00\x00\x00\x03\x0f\x00", 7));  // one padded group
}

TEST(RleTest, BitWidths) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(4), 3);
  EXPECT_EQ(BitWidth(UINT32_MAX), 32);
}

TEST(RleTest, RoundTripsMixedRunsAndWidths) {
  std::mt19937 rng(42);
  for (int width = 1; width <= 20; ++width) {
    for (std::size_t n : {1u, 7u, 8u, 9u, 63u, 1000u}) {
      std::vector<uint32_t> values;
      const uint32_t mask = width == 32 ? UINT32_MAX : (1u << width) - 1;
      while (values.size() < n) {
        const uint32_t v = rng() & mask;
        const std::size_t run = rng() % 3 == 0 ? rng() % 30 : 1;
        values.insert(values.end(), std::min(run + 1, n - values.size()), v);
      }
      std::string out;
      EncodeRleHybrid(values, width, &out);
      EXPECT_EQ(Decode(out, width, n), values) << "width " << width << " n " << n;
    }
  }
}

TEST(RleTest, PackBitsLsbFirst) {
  std::string out;
  PackBits(std::vector<uint8_t>{1, 0, 0, 0, 0, 0, 0, 1, 1}, &out);
  EXPECT_EQ(out, std::string("\x81\x01", 2));
}

}  // namespace
}  // namespace rapidbyte::parquet
