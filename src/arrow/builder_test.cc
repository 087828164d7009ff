// Tests for the column builders: values and nulls, exact BufferBytes, growth, and Reset()
// keeping capacity.
#include "arrow/builder.h"

#include <string>

#include <gtest/gtest.h>

#include "arrow/builder_binary.h"
#include "arrow/builder_list.h"
#include "arrow/builder_primitive.h"
#include "base/test_util.h"

namespace rapidbyte::arrow {
namespace {

TEST(FixedWidthBuilderTest, AppendsValuesAndNulls) {
  Int32Builder b(DataType::Int32());
  ASSERT_OK(b.Append(7));
  ASSERT_OK(b.AppendNull());
  ASSERT_OK(b.Append(-3));
  const int32_t more[3] = {1, 2, 3};
  ASSERT_OK(b.AppendValues(more, 3));
  ArrayView v = b.Finish();
  Int32Array a(v);
  ASSERT_EQ(a.length(), 6);
  EXPECT_EQ(a.null_count(), 1);
  EXPECT_EQ(a.Value(0), 7);
  EXPECT_TRUE(a.IsNull(1));
  EXPECT_EQ(a.Value(1), 0);  // null slots hold zeros
  EXPECT_EQ(a.Value(2), -3);
  EXPECT_EQ(a.Value(5), 3);
  EXPECT_FALSE(a.IsNull(5));
  // validity (1 byte -> 8) + values (24 bytes -> 24)
  EXPECT_EQ(b.BufferBytes(), 8 + 24);
}

TEST(FixedWidthBuilderTest, NoValidityBufferWithoutNulls) {
  Float64Builder b(DataType::Float64());
  ASSERT_OK(b.Reserve(3));
  b.AppendUnchecked(1.5);
  b.AppendUnchecked(-0.0);
  b.AppendUnchecked(2.5);
  EXPECT_EQ(b.BufferBytes(), 24);
  ArrayView v = b.Finish();
  EXPECT_EQ(v.validity, nullptr);
  EXPECT_EQ(Float64Array(v).Value(2), 2.5);
}

TEST(FixedWidthBuilderTest, ResetKeepsCapacityAndClearsValidity) {
  Int64Builder b(DataType::Int64());
  ASSERT_OK(b.Reserve(1000));
  const int64_t capacity = b.capacity();
  for (int i = 0; i < 1000; ++i) {
    if (i % 3 == 0) {
      b.AppendNullUnchecked();
    } else {
      b.AppendUnchecked(i);
    }
  }
  const uint8_t* values_before = b.Finish().values;
  b.Reset();
  EXPECT_EQ(b.length(), 0);
  EXPECT_EQ(b.null_count(), 0);
  EXPECT_EQ(b.capacity(), capacity);
  ASSERT_OK(b.Reserve(1000));
  for (int i = 0; i < 1000; ++i) b.AppendUnchecked(i);
  ArrayView v = b.Finish();
  EXPECT_EQ(v.values, values_before);  // no reallocation
  EXPECT_EQ(v.null_count, 0);
  ASSERT_OK(b.AppendNull());
  ArrayView w = b.Finish();
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(w.IsNull(i)) << i;  // old null bits cleared
  EXPECT_TRUE(w.IsNull(1000));
}

TEST(FixedWidthBuilderTest, GrowsGeometrically) {
  Int8Builder b(DataType::Int8());
  int reallocations = 0;
  int64_t last_capacity = b.capacity();
  for (int i = 0; i < 100000; ++i) {
    ASSERT_OK(b.Append(static_cast<int8_t>(i)));
    if (b.capacity() != last_capacity) {
      ++reallocations;
      last_capacity = b.capacity();
    }
  }
  EXPECT_LT(reallocations, 20);
  EXPECT_EQ(Int8Array(b.Finish()).Value(99999), static_cast<int8_t>(99999));
}

TEST(BooleanBuilderTest, PacksBits) {
  BooleanBuilder b;
  for (int i = 0; i < 20; ++i) {
    if (i == 5) {
      ASSERT_OK(b.AppendNull());
    } else {
      ASSERT_OK(b.Append(i % 2 == 0));
    }
  }
  ArrayView v = b.Finish();
  BooleanArray a(v);
  EXPECT_TRUE(a.Value(0));
  EXPECT_FALSE(a.Value(1));
  EXPECT_TRUE(a.IsNull(5));
  EXPECT_TRUE(a.Value(18));
  EXPECT_EQ(b.BufferBytes(), 8 + 8);
  b.Reset();
  ASSERT_OK(b.Append(false));
  EXPECT_FALSE(BooleanArray(b.Finish()).Value(0));  // old bit cleared
}

TEST(VarBinaryBuilderTest, AppendsStringsAndNulls) {
  StringBuilder b(DataType::Utf8());
  ASSERT_OK(b.Append("héllo"));
  ASSERT_OK(b.AppendNull());
  ASSERT_OK(b.Append(""));
  ASSERT_OK(b.Append(std::string(1000, 'x')));
  ArrayView v = b.Finish();
  StringArray a(v);
  EXPECT_EQ(a.GetView(0), "héllo");
  EXPECT_TRUE(a.IsNull(1));
  EXPECT_EQ(a.GetView(1), "");
  EXPECT_EQ(a.GetView(2), "");
  EXPECT_EQ(a.GetView(3).size(), 1000u);
  EXPECT_EQ(b.data_length(), 1006);
  // validity 8 + offsets 5*4=20 -> 24 + data 1006 -> 1008
  EXPECT_EQ(b.BufferBytes(), 8 + 24 + 1008);
}

TEST(VarBinaryBuilderTest, EmptyBuilderHasOneOffset) {
  LargeStringBuilder b(DataType::LargeUtf8());
  EXPECT_EQ(b.BufferBytes(), 8);  // one int64 offset
  ArrayView v = b.Finish();
  ASSERT_NE(v.values, nullptr);
  EXPECT_EQ(LargeStringArray(v).value_offset(0), 0);
}

TEST(VarBinaryBuilderTest, UncheckedPathAfterReserve) {
  BinaryBuilder b(DataType::Binary());
  ASSERT_OK(b.Reserve(100));
  ASSERT_OK(b.ReserveData(100 * 3));
  for (int i = 0; i < 100; ++i) b.AppendUnchecked("\x00\x01\x02", 3);
  ArrayView v = b.Finish();
  EXPECT_EQ(BinaryArray(v).GetView(99), std::string_view("\x00\x01\x02", 3));
}

TEST(VarBinaryBuilderTest, RefusesMoreThanOffsetsCanAddress) {
  StringBuilder b(DataType::Utf8());
  ASSERT_OK(b.Append("abc"));
  Status st = b.ReserveData(StringBuilder::kMaxDataBytes);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(b.length(), 1);
}

TEST(FixedSizeBinaryBuilderTest, ChecksWidth) {
  FixedSizeBinaryBuilder b(DataType::FixedSizeBinary(4));
  ASSERT_OK(b.Append("abcd"));
  EXPECT_EQ(b.Append("abc").code(), StatusCode::kInvalidArgument);
  ASSERT_OK(b.AppendNull());
  ArrayView v = b.Finish();
  FixedSizeBinaryArray a(v);
  EXPECT_EQ(a.length(), 2);
  EXPECT_EQ(a.GetView(0), "abcd");
  EXPECT_EQ(a.GetView(1), std::string_view("\0\0\0\0", 4));
  EXPECT_EQ(b.BufferBytes(), 8 + 8);
}

TEST(ListBuilderTest, BuildsNestedValues) {
  ASSERT_OK_AND_ASSIGN(auto base, MakeBuilder(DataType::List(DataType::Int32())));
  auto* b = dynamic_cast<ListBuilder*>(base.get());
  ASSERT_NE(b, nullptr);
  auto* items = b->item_builder_as<Int32Builder>();
  ASSERT_NE(items, nullptr);
  ASSERT_OK(b->Append());  // [1, null, 3]
  ASSERT_OK(items->Append(1));
  ASSERT_OK(items->AppendNull());
  ASSERT_OK(items->Append(3));
  ASSERT_OK(b->AppendNull());  // null
  ASSERT_OK(b->Append());      // []
  ASSERT_OK(b->Append());      // [4]
  ASSERT_OK(items->Append(4));
  ArrayView v = b->Finish();
  ListArray a(v);
  ASSERT_EQ(a.length(), 4);
  EXPECT_EQ(a.value_length(0), 3);
  EXPECT_TRUE(a.IsNull(1));
  EXPECT_EQ(a.value_length(1), 0);
  EXPECT_EQ(a.value_length(2), 0);
  EXPECT_EQ(a.value_offset(3), 3);
  EXPECT_EQ(a.value_length(3), 1);
  Int32Array item_values(a.values());
  EXPECT_TRUE(item_values.IsNull(1));
  EXPECT_EQ(item_values.Value(3), 4);
  // list: validity 8 + offsets 5*4 -> 24; items: validity 8 + values 16
  EXPECT_EQ(b->BufferBytes(), 8 + 24 + 8 + 16);
  b->Reset();
  EXPECT_EQ(items->length(), 0);
}

TEST(MakeBuilderTest, PicksTheClassPerType) {
  auto check = [](const DataType& t, auto* expected) {
    ASSERT_OK_AND_ASSIGN(auto b, MakeBuilder(t));
    using B = std::remove_pointer_t<decltype(expected)>;
    EXPECT_NE(dynamic_cast<B*>(b.get()), nullptr) << t.ToString();
    EXPECT_EQ(b->type(), t);
  };
  check(DataType::Null(), static_cast<NullBuilder*>(nullptr));
  check(DataType::Date32(), static_cast<Int32Builder*>(nullptr));
  check(DataType::Timestamp(TimeUnit::kMicro, "UTC"), static_cast<Int64Builder*>(nullptr));
  check(DataType::Time64(TimeUnit::kNano), static_cast<Int64Builder*>(nullptr));
  check(DataType::Decimal128(12, 4), static_cast<Decimal128Builder*>(nullptr));
  check(DataType::IntervalMonthDayNano(), static_cast<IntervalBuilder*>(nullptr));
  check(DataType::LargeBinary(), static_cast<LargeBinaryBuilder*>(nullptr));
  check(DataType::FixedSizeBinary(16), static_cast<FixedSizeBinaryBuilder*>(nullptr));
  EXPECT_FALSE(MakeBuilder(DataType::Decimal128(0, 0)).ok());
}

TEST(NullBuilderTest, CountsOnly) {
  NullBuilder b;
  ASSERT_OK(b.AppendNulls(5));
  ArrayView v = b.Finish();
  EXPECT_EQ(v.length, 5);
  EXPECT_EQ(v.null_count, 5);
  EXPECT_TRUE(v.IsNull(4));
  EXPECT_EQ(b.BufferBytes(), 0);
}

}  // namespace
}  // namespace rapidbyte::arrow
