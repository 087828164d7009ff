// Tests for bitmap helpers, ArrayView slicing and the typed array accessors.
#include "arrow/array.h"

#include <vector>

#include <gtest/gtest.h>

#include "arrow/bit_util.h"
#include "arrow/record_batch.h"

namespace rapidbyte::arrow {
namespace {

TEST(BitUtilTest, CountAndCopyAtEveryOffset) {
  std::vector<uint8_t> bits(40);
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint8_t>(i * 37 + 11);
  for (int64_t offset = 0; offset < 20; ++offset) {
    for (int64_t length : {0, 1, 7, 8, 9, 63, 64, 65, 200}) {
      int64_t expected = 0;
      for (int64_t i = 0; i < length; ++i) expected += bit_util::GetBit(bits.data(), offset + i);
      EXPECT_EQ(bit_util::CountSetBits(bits.data(), offset, length), expected);
      std::vector<uint8_t> out(static_cast<std::size_t>(bit_util::BytesForBits(length)) + 1, 0xAA);
      bit_util::CopyBitmap(bits.data(), offset, length, out.data());
      for (int64_t i = 0; i < length; ++i) {
        ASSERT_EQ(bit_util::GetBit(out.data(), i), bit_util::GetBit(bits.data(), offset + i));
      }
      // Trailing bits of the last byte are zero, the byte after is untouched.
      for (int64_t i = length; i < bit_util::BytesForBits(length) * 8; ++i) {
        EXPECT_FALSE(bit_util::GetBit(out.data(), i));
      }
      EXPECT_EQ(out.back(), 0xAA);
    }
  }
  EXPECT_EQ(bit_util::PaddedLength(0), 0);
  EXPECT_EQ(bit_util::PaddedLength(1), 8);
  EXPECT_EQ(bit_util::PaddedLength(16), 16);
}

TEST(ArrayViewTest, SliceRecomputesNullsAndClamps) {
  const DataType type = DataType::Int32();
  const int32_t values[6] = {10, 11, 12, 13, 14, 15};
  const uint8_t validity[1] = {0b00110101};  // 0, 2, 4, 5 valid
  ArrayView a;
  a.type = &type;
  a.length = 6;
  a.null_count = 2;
  a.validity = validity;
  a.values = reinterpret_cast<const uint8_t*>(values);

  ArrayView s = a.Slice(1, 3);  // slots 1, 2, 3
  Int32Array arr(s);
  EXPECT_EQ(arr.length(), 3);
  EXPECT_EQ(arr.null_count(), 2);
  EXPECT_TRUE(arr.IsNull(0));
  EXPECT_FALSE(arr.IsNull(1));
  EXPECT_EQ(arr.Value(1), 12);
  EXPECT_TRUE(arr.IsNull(2));

  ArrayView clamped = a.Slice(4, 100);
  EXPECT_EQ(clamped.length, 2);
  EXPECT_EQ(clamped.null_count, 0);
  EXPECT_EQ(a.Slice(9, 2).length, 0);
}

TEST(ArrayViewTest, NullTypeIsAllNull) {
  const DataType type = DataType::Null();
  ArrayView a;
  a.type = &type;
  a.length = 3;
  a.null_count = 3;
  EXPECT_TRUE(a.IsNull(1));
  EXPECT_EQ(a.Slice(1, 2).null_count, 2);
}

TEST(ArrayViewTest, StringAccessorsUseOffsets) {
  const DataType type = DataType::Utf8();
  const int32_t offsets[4] = {0, 3, 3, 8};
  const char data[] = "abchello";
  ArrayView a;
  a.type = &type;
  a.length = 3;
  a.values = reinterpret_cast<const uint8_t*>(offsets);
  a.data = reinterpret_cast<const uint8_t*>(data);
  StringArray s(a);
  EXPECT_EQ(s.GetView(0), "abc");
  EXPECT_EQ(s.GetView(1), "");
  EXPECT_EQ(s.GetView(2), "hello");
  ArrayView tail = a.Slice(2, 1);
  EXPECT_EQ(StringArray(tail).GetView(0), "hello");
  EXPECT_EQ(StringArray(tail).value_offset(0), 3);
}

TEST(RecordBatchTest, SliceSlicesEveryColumn) {
  const DataType type = DataType::Int64();
  const int64_t v[4] = {1, 2, 3, 4};
  ArrayView col;
  col.type = &type;
  col.length = 4;
  col.values = reinterpret_cast<const uint8_t*>(v);
  auto schema = std::make_shared<const Schema>(std::vector<Field>{Field("x", type)});
  RecordBatch batch(schema, 4, {col});
  RecordBatch s = batch.Slice(2, 5);
  EXPECT_EQ(s.num_rows(), 2);
  EXPECT_EQ(Int64Array(s.column(0)).Value(0), 3);
  EXPECT_EQ(&s.schema(), &batch.schema());
}

}  // namespace
}  // namespace rapidbyte::arrow
