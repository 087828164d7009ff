// CSV fields and JSON values of Arrow columns (text_values.cc), natively: quoting, escapes,
// NULL against the empty string, exact decimals, ISO 8601 times before and after 1970 and
// ±infinity, uuids, base64, floats and lists.
#include "connectors/files/text_values.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"

namespace rapidbyte::files {
namespace {

using arrow::DataType;
using arrow::Field;

struct Rendered {
  std::vector<std::string> csv, json;
};

// Build one column of `type` with `fill`, render every row both ways.
template <typename Fill>
Rendered Render(const Field& field, Fill fill, std::string_view null_value = "") {
  auto schema = std::make_shared<arrow::Schema>(std::vector<Field>{field});
  auto builder = arrow::RecordBatchBuilder::Make(schema).MoveValueUnsafe();
  fill(builder->column(0));
  auto batch = builder->Finish();
  EXPECT_TRUE(batch.ok());
  Rendered out;
  const ColumnText column{&batch->column(0), field.extension_name() == arrow::kUuidExtension,
                          false};
  for (int64_t i = 0; i < batch->num_rows(); ++i) {
    std::string csv, json;
    AppendCsvField(column, i, null_value, &csv);
    AppendJsonValue(column, i, &json);
    out.csv.push_back(csv);
    out.json.push_back(json);
  }
  return out;
}

TEST(TextValuesTest, TextIsQuotedWhenItMustBeAndEscapedInJson) {
  const Rendered r = Render(Field("s", DataType::Utf8()), [](arrow::ArrayBuilder* b) {
    auto* s = static_cast<arrow::StringBuilder*>(b);
    EXPECT_OK(s->Append("plain"));
    EXPECT_OK(s->Append(""));
    EXPECT_OK(s->AppendNull());
    EXPECT_OK(s->Append("a,b \"q\"\nline"));
    EXPECT_OK(s->Append(std::string_view("tab\there\x01\\", 10)));
  });
  EXPECT_EQ(r.csv, (std::vector<std::string>{"plain", "\"\"", "", "\"a,b \"\"q\"\"\nline\"",
                                             "tab\there\x01\\"}));
  EXPECT_EQ(r.json, (std::vector<std::string>{"\"plain\"", "\"\"", "null",
                                              "\"a,b \\\"q\\\"\\nline\"",
                                              "\"tab\\there\\u0001\\\\\""}));
}

TEST(TextValuesTest, ANullValueTextIsQuotedWhenItIsData) {
  const Rendered r = Render(Field("s", DataType::Utf8()), [](arrow::ArrayBuilder* b) {
    auto* s = static_cast<arrow::StringBuilder*>(b);
    EXPECT_OK(s->Append("\\N"));
    EXPECT_OK(s->AppendNull());
    EXPECT_OK(s->Append(""));
  }, "\\N");
  EXPECT_EQ(r.csv, (std::vector<std::string>{"\"\\N\"", "\\N", ""}));
}

TEST(TextValuesTest, NumbersAreExact) {
  const Rendered d = Render(Field("d", DataType::Decimal128(12, 2)), [](arrow::ArrayBuilder* b) {
    auto* s = static_cast<arrow::Decimal128Builder*>(b);
    EXPECT_OK(s->Append(arrow::Decimal128::FromInt64(1230)));
    EXPECT_OK(s->Append(arrow::Decimal128::FromInt64(-5)));
  });
  EXPECT_EQ(d.csv, (std::vector<std::string>{"12.30", "-0.05"}));
  EXPECT_EQ(d.json, (std::vector<std::string>{"12.30", "-0.05"}));
  const Rendered i = Render(Field("i", DataType::Int64()), [](arrow::ArrayBuilder* b) {
    EXPECT_OK(static_cast<arrow::Int64Builder*>(b)->Append(std::numeric_limits<int64_t>::min()));
  });
  EXPECT_EQ(i.json[0], "-9223372036854775808");
  const Rendered f = Render(Field("f", DataType::Float64()), [](arrow::ArrayBuilder* b) {
    auto* s = static_cast<arrow::Float64Builder*>(b);
    EXPECT_OK(s->Append(0.1));
    EXPECT_OK(s->Append(-0.0));
    EXPECT_OK(s->Append(std::nan("")));
    EXPECT_OK(s->Append(-std::numeric_limits<double>::infinity()));
  });
  EXPECT_EQ(f.csv, (std::vector<std::string>{"0.1", "-0", "NaN", "-Infinity"}));
  EXPECT_EQ(f.json, (std::vector<std::string>{"0.1", "-0", "\"NaN\"", "\"-Infinity\""}));
}

TEST(TextValuesTest, TimesAreIso8601) {
  const Rendered ts = Render(Field("ts", DataType::Timestamp(arrow::TimeUnit::kMicro, "UTC")),
                             [](arrow::ArrayBuilder* b) {
    auto* s = static_cast<arrow::Int64Builder*>(b);
    EXPECT_OK(s->Append(1706695200500000));  // 2024-01-31 10:00:00.5
    EXPECT_OK(s->Append(-1));                // one µs before the epoch
    EXPECT_OK(s->Append(std::numeric_limits<int64_t>::max()));
  });
  EXPECT_EQ(ts.csv, (std::vector<std::string>{"2024-01-31T10:00:00.5Z",
                                              "1969-12-31T23:59:59.999999Z", "infinity"}));
  EXPECT_EQ(ts.json[0], "\"2024-01-31T10:00:00.5Z\"");
  const Rendered local = Render(Field("ts", DataType::Timestamp(arrow::TimeUnit::kMicro)),
                                [](arrow::ArrayBuilder* b) {
    EXPECT_OK(static_cast<arrow::Int64Builder*>(b)->Append(0));
  });
  EXPECT_EQ(local.csv[0], "1970-01-01T00:00:00");
  const Rendered d = Render(Field("d", DataType::Date32()), [](arrow::ArrayBuilder* b) {
    auto* s = static_cast<arrow::Int32Builder*>(b);
    EXPECT_OK(s->Append(19782));  // 2024-02-29
    EXPECT_OK(s->Append(std::numeric_limits<int32_t>::min()));
    EXPECT_OK(s->Append(-683309));  // 0099-03-01: the year zero-padded to four digits
  });
  EXPECT_EQ(d.csv, (std::vector<std::string>{"2024-02-29", "-infinity", "0099-03-01"}));
  const Rendered t = Render(Field("t", DataType::Time64(arrow::TimeUnit::kMicro)),
                            [](arrow::ArrayBuilder* b) {
    EXPECT_OK(static_cast<arrow::Int64Builder*>(b)->Append(49530123456));
    EXPECT_OK(static_cast<arrow::Int64Builder*>(b)->Append(3723000100));   // 01:02:03.0001
    EXPECT_OK(static_cast<arrow::Int64Builder*>(b)->Append(86400000000));  // PostgreSQL's 24:00
  });
  EXPECT_EQ(t.csv, (std::vector<std::string>{"13:45:30.123456", "01:02:03.0001", "24:00:00"}));
}

TEST(TextValuesTest, BytesUuidsAndLists) {
  arrow::KeyValueMetadata uuid_meta{{std::string(arrow::kExtensionNameKey),
                                     std::string(arrow::kUuidExtension)}};
  const Rendered u = Render(Field("u", DataType::FixedSizeBinary(16), true, uuid_meta),
                            [](arrow::ArrayBuilder* b) {
    EXPECT_OK(static_cast<arrow::FixedSizeBinaryBuilder*>(b)->Append(
        std::string("\xa0\xee\xbc\x99\x9c\x0b\x4e\xf8\xbb\x6d\x6b\xb9\xbd\x38\x0a\x11", 16)));
  });
  EXPECT_EQ(u.csv[0], "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  const Rendered bin = Render(Field("b", DataType::Binary()), [](arrow::ArrayBuilder* b) {
    EXPECT_OK(static_cast<arrow::BinaryBuilder*>(b)->Append(std::string("\x00\xff", 2)));
  });
  EXPECT_EQ(bin.csv[0], "AP8=");
  EXPECT_EQ(bin.json[0], "\"AP8=\"");
  const Rendered l = Render(Field("l", DataType::List(DataType::Int32())),
                            [](arrow::ArrayBuilder* b) {
    auto* list = static_cast<arrow::ListBuilder*>(b);
    auto* items = static_cast<arrow::Int32Builder*>(list->item_builder());
    EXPECT_OK(list->Append());
    EXPECT_OK(items->Append(1));
    EXPECT_OK(items->AppendNull());
    EXPECT_OK(items->Append(3));
    EXPECT_OK(list->Append());
    EXPECT_OK(list->AppendNull());
  });
  EXPECT_EQ(l.csv, (std::vector<std::string>{"\"[1,null,3]\"", "[]", ""}));
  EXPECT_EQ(l.json, (std::vector<std::string>{"[1,null,3]", "[]", "null"}));
}

}  // namespace
}  // namespace rapidbyte::files
