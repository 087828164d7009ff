#include "arrow/type_parse.h"

#include <gtest/gtest.h>

namespace rapidbyte::arrow {
namespace {

TEST(TypeParseTest, EveryCanonicalSpellingReadsBack) {
  const std::vector<DataType> types = {
      DataType::Null(),     DataType::Bool(),          DataType::Int8(),
      DataType::Int16(),    DataType::Int32(),         DataType::Int64(),
      DataType::UInt8(),    DataType::UInt64(),        DataType::Float32(),
      DataType::Float64(),  DataType::Utf8(),          DataType::LargeUtf8(),
      DataType::Binary(),   DataType::LargeBinary(),   DataType::Date32(),
      DataType::IntervalMonthDayNano(),                DataType::Decimal128(12, 4),
      DataType::Decimal128(38, -2),                    DataType::FixedSizeBinary(16),
      DataType::Time64(TimeUnit::kMicro),              DataType::Timestamp(TimeUnit::kMicro),
      DataType::Timestamp(TimeUnit::kNano, "UTC"),     DataType::Timestamp(TimeUnit::kSecond, "+05:30"),
      DataType::List(DataType::Int32()),               DataType::List(DataType::List(DataType::Utf8())),
  };
  for (const DataType& t : types) {
    auto parsed = ParseDataType(t.ToString());
    ASSERT_TRUE(parsed.ok()) << t.ToString() << ": " << parsed.status().message();
    EXPECT_EQ(*parsed, t) << t.ToString();
  }
}

TEST(TypeParseTest, MalformedAndOutOfRangeTextIsRefused) {
  for (const char* text : {"", "int", "int64 ", "decimal128(12)", "decimal128(a, 2)",
                           "decimal128(39, 0)", "fixed_size_binary[0]", "fixed_size_binary[-1]",
                           "time64[s]", "timestamp[xs]", "list<>", "list<int32", "map<int32>",
                           "decimal128(99999999999, 1)"}) {
    auto parsed = ParseDataType(text);
    EXPECT_FALSE(parsed.ok()) << "'" << text << "' parsed as " << parsed->ToString();
  }
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "list<";
  deep += "int8";
  for (int i = 0; i < 100; ++i) deep += ">";
  EXPECT_FALSE(ParseDataType(deep).ok());
}

}  // namespace
}  // namespace rapidbyte::arrow
