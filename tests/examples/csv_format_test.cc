// source-csv's CSV reader, value parsing and type inference (examples/connectors/source-csv/
// src/csv_format.h), natively.
#include "csv_format.h"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace source_csv {
namespace {

struct Record {
  CsvReader::Status status;
  std::vector<std::string> fields;
  std::vector<bool> quoted;
  std::int64_t line;
  std::string error;
};

std::vector<Record> ReadAll(const std::string& text, char delimiter = ',') {
  std::FILE* f = fmemopen(const_cast<char*>(text.data()), text.size(), "rb");
  CsvReader reader(f, delimiter);
  std::vector<Record> out;
  for (;;) {
    Record r;
    r.status = reader.Next(&r.fields, &r.quoted);
    if (r.status == CsvReader::Status::kEnd) break;
    r.line = reader.record_line();
    r.error = reader.error();
    out.push_back(r);
  }
  std::fclose(f);
  return out;
}

TEST(CsvReaderTest, QuotingRules) {
  const auto records = ReadAll(
      "\xEF\xBB\xBF"
      "a,b,c\r\n"
      "\"x, y\",\"say \"\"hi\"\"\",\"one\ntwo\"\n"
      "\n"
      ",\"\",plain\n"
      "last,row,no newline");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"", "one\ntwo"}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"", "", "plain"}));
  EXPECT_EQ(records[2].quoted, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(records[2].line, 5);  // after the quoted newline and the blank line
  EXPECT_EQ(records[3].fields, (std::vector<std::string>{"last", "row", "no newline"}));
}

TEST(CsvReaderTest, ErrorsAndRecovery) {
  const auto records = ReadAll("a;b\n\"x\"y;2\nok;3\n\"open;4\n", ';');
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].status, CsvReader::Status::kError);
  EXPECT_EQ(records[1].error, "unexpected character after a closing quote");
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"ok", "3"}));
  EXPECT_EQ(records[3].status, CsvReader::Status::kError);
  EXPECT_EQ(records[3].error, "unterminated quoted field");
  EXPECT_EQ(records[3].line, 4);
}

ColumnType Infer(const std::vector<std::string>& values) {
  TypeInferrer inferrer;
  for (const auto& v : values) inferrer.Add(v);
  return inferrer.Result();
}

TEST(TypeInferenceTest, NarrowestType) {
  EXPECT_EQ(TypeName(Infer({"true", "FALSE"})), "bool");
  EXPECT_EQ(TypeName(Infer({"1", "-42", "9223372036854775807"})), "int64");
  EXPECT_EQ(TypeName(Infer({"1", "2.5", "-0.125"})), "decimal(38,3)");
  EXPECT_EQ(TypeName(Infer({"1.5e3", "2"})), "float64");
  EXPECT_EQ(TypeName(Infer({"9223372036854775808"})), "decimal(38,0)");
  EXPECT_EQ(TypeName(Infer({"2024-02-29", "1999-12-31"})), "date");
  EXPECT_EQ(TypeName(Infer({"2024-02-30"})), "utf8");
  EXPECT_EQ(TypeName(Infer({"2024-01-31", "2024-01-31 10:00:00.5"})), "timestamp");
  EXPECT_EQ(TypeName(Infer({"2024-01-31T10:00:00Z", "2024-01-31 10:00"})), "timestamptz");
  EXPECT_EQ(TypeName(Infer({"1", "x"})), "utf8");
  EXPECT_EQ(TypeName(Infer({})), "utf8");
}

TEST(ParseValueTest, Values) {
  Value v;
  ASSERT_TRUE(ParseValue("-12.5", *ParseTypeName("decimal(10,2)"), &v));
  EXPECT_TRUE(v.d == -1250);
  EXPECT_FALSE(ParseValue("1.234", *ParseTypeName("decimal(10,2)"), &v));        // scale
  EXPECT_FALSE(ParseValue("123456789.0", *ParseTypeName("decimal(10,2)"), &v));  // precision
  ASSERT_TRUE(ParseValue("2024-03-01T00:00:00-05:30", *ParseTypeName("timestamptz"), &v));
  EXPECT_EQ(v.i, (DaysFromCivil(2024, 3, 1) * 86400 + 5 * 3600 + 1800) * 1000000);
  ASSERT_TRUE(ParseValue("1970-01-02", *ParseTypeName("date"), &v));
  EXPECT_EQ(v.i, 1);
  ASSERT_TRUE(ParseValue("yes", *ParseTypeName("bool"), &v));
  EXPECT_TRUE(v.b);
  EXPECT_FALSE(ParseValue("9223372036854775808", *ParseTypeName("int64"), &v));
  EXPECT_FALSE(ParseValue("0x10", *ParseTypeName("float64"), &v));
  EXPECT_FALSE(ParseTypeName("decimal(39,2)").has_value());
  EXPECT_FALSE(ParseTypeName("int").has_value());
}

TEST(GlobTest, Patterns) {
  EXPECT_TRUE(GlobMatch("orders_*.csv", "orders_2024-01.csv"));
  EXPECT_TRUE(GlobMatch("orders_*.csv", "orders_.csv"));
  EXPECT_FALSE(GlobMatch("orders_*.csv", "orders_1.csv.bak"));
  EXPECT_TRUE(GlobMatch("?.csv", "a.csv"));
  EXPECT_FALSE(GlobMatch("?.csv", "ab.csv"));
  EXPECT_TRUE(GlobMatch("*", "anything"));
}

}  // namespace
}  // namespace source_csv
