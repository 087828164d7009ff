// Tests for DataType spellings, equality, layouts and validation, and Field/Schema equality.
#include "arrow/type.h"

#include <gtest/gtest.h>

#include "arrow/schema.h"
#include "base/test_util.h"

namespace rapidbyte::arrow {
namespace {

TEST(DataTypeTest, SpellingsFollowSpec) {
  EXPECT_EQ(DataType::Null().ToString(), "null");
  EXPECT_EQ(DataType::Bool().ToString(), "bool");
  EXPECT_EQ(DataType::Int8().ToString(), "int8");
  EXPECT_EQ(DataType::Int32().ToString(), "int32");
  EXPECT_EQ(DataType::UInt64().ToString(), "uint64");
  EXPECT_EQ(DataType::Float32().ToString(), "float32");
  EXPECT_EQ(DataType::Float64().ToString(), "float64");
  EXPECT_EQ(DataType::Decimal128(12, 4).ToString(), "decimal128(12, 4)");
  EXPECT_EQ(DataType::Utf8().ToString(), "utf8");
  EXPECT_EQ(DataType::LargeUtf8().ToString(), "large_utf8");
  EXPECT_EQ(DataType::Binary().ToString(), "binary");
  EXPECT_EQ(DataType::LargeBinary().ToString(), "large_binary");
  EXPECT_EQ(DataType::Date32().ToString(), "date32");
  EXPECT_EQ(DataType::Time64(TimeUnit::kMicro).ToString(), "time64[us]");
  EXPECT_EQ(DataType::Time64(TimeUnit::kNano).ToString(), "time64[ns]");
  EXPECT_EQ(DataType::Timestamp(TimeUnit::kMicro).ToString(), "timestamp[us]");
  EXPECT_EQ(DataType::Timestamp(TimeUnit::kMicro, "UTC").ToString(), "timestamp[us, UTC]");
  EXPECT_EQ(DataType::Timestamp(TimeUnit::kNano, "UTC").ToString(), "timestamp[ns, UTC]");
  EXPECT_EQ(DataType::IntervalMonthDayNano().ToString(), "interval[month_day_nano]");
  EXPECT_EQ(DataType::FixedSizeBinary(16).ToString(), "fixed_size_binary[16]");
  EXPECT_EQ(DataType::List(DataType::Int32()).ToString(), "list<int32>");
  EXPECT_EQ(DataType::List(DataType::List(DataType::Utf8())).ToString(), "list<list<utf8>>");
}

TEST(DataTypeTest, EqualityComparesParameters) {
  EXPECT_EQ(DataType::Decimal128(12, 4), DataType::Decimal128(12, 4));
  EXPECT_NE(DataType::Decimal128(12, 4), DataType::Decimal128(12, 3));
  EXPECT_NE(DataType::Int32(), DataType::UInt32());
  EXPECT_NE(DataType::Timestamp(TimeUnit::kMicro), DataType::Timestamp(TimeUnit::kMicro, "UTC"));
  EXPECT_NE(DataType::Time64(TimeUnit::kMicro), DataType::Time64(TimeUnit::kNano));
  EXPECT_EQ(DataType::List(DataType::Int32()), DataType::List(DataType::Int32()));
  EXPECT_NE(DataType::List(DataType::Int32()), DataType::List(DataType::Int64()));
  EXPECT_NE(DataType::List(Field("item", DataType::Int32(), true)),
            DataType::List(Field("item", DataType::Int32(), false)));
  EXPECT_NE(DataType::FixedSizeBinary(16), DataType::FixedSizeBinary(8));
}

TEST(DataTypeTest, LayoutsAndWidths) {
  EXPECT_EQ(DataType::Null().layout(), Layout::kNull);
  EXPECT_EQ(DataType::Bool().layout(), Layout::kBitmap);
  EXPECT_EQ(DataType::Int16().fixed_width(), 2);
  EXPECT_EQ(DataType::Date32().fixed_width(), 4);
  EXPECT_EQ(DataType::Timestamp(TimeUnit::kMicro).fixed_width(), 8);
  EXPECT_EQ(DataType::Decimal128(38, 0).fixed_width(), 16);
  EXPECT_EQ(DataType::IntervalMonthDayNano().fixed_width(), 16);
  EXPECT_EQ(DataType::FixedSizeBinary(16).fixed_width(), 16);
  EXPECT_EQ(DataType::Utf8().layout(), Layout::kVarBinary32);
  EXPECT_EQ(DataType::LargeBinary().layout(), Layout::kVarBinary64);
  EXPECT_EQ(DataType::List(DataType::Bool()).layout(), Layout::kList32);
}

TEST(DataTypeTest, ValidateRejectsBadParameters) {
  EXPECT_OK(DataType::Decimal128(38, 10).Validate());
  EXPECT_EQ(DataType::Decimal128(0, 0).Validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DataType::Decimal128(39, 0).Validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DataType::FixedSizeBinary(0).Validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DataType::Time64(TimeUnit::kSecond).Validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DataType::List(DataType::Decimal128(40, 0)).Validate().code(),
            StatusCode::kInvalidArgument);
}

TEST(SchemaTest, EqualityCoversFieldsNullabilityAndMetadata) {
  Schema a({Field("id", DataType::Int64(), false).With(kPgTypeKey, "bigint"),
            Field("token", DataType::FixedSizeBinary(16)).WithExtension(kUuidExtension)},
           {{std::string(kPgRelationKey), "public.t"}});
  Schema b = a;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.field(1).extension_name(), "arrow.uuid");
  EXPECT_EQ(a.field(0).metadata().Get(kPgTypeKey), "bigint");
  EXPECT_EQ(a.GetFieldIndex("token"), 1);
  EXPECT_EQ(a.GetFieldIndex("nope"), -1);

  Schema c({Field("id", DataType::Int64(), true).With(kPgTypeKey, "bigint"), a.field(1)},
           a.metadata());
  EXPECT_NE(a, c);  // nullability
  Schema d({a.field(0).With(kPgTypeKey, "integer"), a.field(1)}, a.metadata());
  EXPECT_NE(a, d);  // field metadata
  Schema e(a.fields(), {{std::string(kPgRelationKey), "public.u"}});
  EXPECT_NE(a, e);  // schema metadata
  Schema f({a.field(1), a.field(0)}, a.metadata());
  EXPECT_NE(a, f);  // order
}

TEST(SchemaTest, ValidateNamesTheField) {
  Schema s({Field("amount", DataType::Decimal128(50, 2))});
  Status st = s.Validate();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("field 'amount'"), std::string::npos) << st.ToString();
}

TEST(KeyValueMetadataTest, SetReplacesAndKeepsOrder) {
  KeyValueMetadata md;
  md.Set("a", "1");
  md.Set("b", "2");
  md.Set("a", "3");
  ASSERT_EQ(md.size(), 2u);
  EXPECT_EQ(md.entries()[0].key, "a");
  EXPECT_EQ(md.entries()[0].value, "3");
  EXPECT_EQ(md.Get("b"), "2");
  EXPECT_FALSE(md.Get("c").has_value());
}

}  // namespace
}  // namespace rapidbyte::arrow
