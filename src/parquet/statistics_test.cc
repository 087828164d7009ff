// Statistics orderings: signed vs unsigned integers, IEEE floats (NaN skipped, signed zeros),
// byte-wise strings and big-endian decimals.
#include "parquet/statistics.h"

#include <cmath>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

namespace rapidbyte::parquet {
namespace {

template <typename T>
std::string Raw(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(v));
}

template <typename T>
T FromRaw(const std::string& s) {
  T v;
  std::memcpy(&v, s.data(), sizeof(v));
  return v;
}

TEST(StatisticsTest, SignedAndUnsignedIntegers) {
  EXPECT_LT(CompareValues(Order::kSigned32, Raw<int32_t>(-1), Raw<int32_t>(1)), 0);
  EXPECT_GT(CompareValues(Order::kUnsigned32, Raw<int32_t>(-1), Raw<int32_t>(1)), 0);
  EXPECT_LT(CompareValues(Order::kSigned64, Raw<int64_t>(INT64_MIN), Raw<int64_t>(0)), 0);
  EXPECT_GT(CompareValues(Order::kUnsigned64, Raw<uint64_t>(UINT64_MAX), Raw<uint64_t>(0)), 0);
}

TEST(StatisticsTest, BytesCompareUnsigned) {
  EXPECT_GT(CompareValues(Order::kBytes, "\xc3\xa9", "z"), 0);  // é after z
  EXPECT_LT(CompareValues(Order::kBytes, "", "a"), 0);
  EXPECT_LT(CompareValues(Order::kBytes, "ab", "abc"), 0);
}

TEST(StatisticsTest, BigEndianDecimals) {
  const std::string minus_one("\xff\xff", 2), one("\x00\x01", 2), big("\x7f\x00", 2);
  EXPECT_LT(CompareValues(Order::kSignedBigEndian, minus_one, one), 0);
  EXPECT_LT(CompareValues(Order::kSignedBigEndian, one, big), 0);
  EXPECT_LT(CompareValues(Order::kSignedBigEndian, std::string("\x80\x00", 2), minus_one), 0);
}

TEST(StatisticsTest, CollectorTracksBoundsAndNulls) {
  StatsCollector s(Order::kUnsigned32);
  for (uint32_t v : {5u, 0xffffffffu, 7u}) s.Update(Raw(v));
  s.AddNull();
  const Statistics st = s.Get();
  EXPECT_EQ(st.null_count, 1);
  EXPECT_EQ(FromRaw<uint32_t>(*st.min_value), 5u);
  EXPECT_EQ(FromRaw<uint32_t>(*st.max_value), 0xffffffffu);
}

TEST(StatisticsTest, FloatsSkipNaNAndWriteSignedZeros) {
  StatsCollector s(Order::kDouble);
  s.Update(Raw(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(s.Get().min_value.has_value());
  s.Update(Raw(0.0));
  const Statistics st = s.Get();
  EXPECT_TRUE(std::signbit(FromRaw<double>(*st.min_value)));
  EXPECT_FALSE(std::signbit(FromRaw<double>(*st.max_value)));
  s.Update(Raw(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(FromRaw<double>(*s.Get().min_value), -std::numeric_limits<double>::infinity());
}

TEST(StatisticsTest, ResetForgetsEverything) {
  StatsCollector s(Order::kBool);
  s.Update(std::string(1, '\1'));
  s.AddNull();
  s.Reset();
  EXPECT_EQ(s.Get().null_count, 0);
  EXPECT_FALSE(s.Get().max_value.has_value());
}

}  // namespace
}  // namespace rapidbyte::parquet
