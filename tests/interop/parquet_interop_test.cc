// Parquet files written by src/parquet, read back by DuckDB (@duckdb/node-api) and hyparquet
// (npm, pinned in package-lock.json) through read_parquet.mjs, and compared value by value:
// every SPEC §9 type with NULLs and edge values, a dictionary column and one that falls back
// to PLAIN, uncompressed and zstd, one and several row groups.
// Fails, never skips, when node or the packages are missing: run scripts/setup.sh.
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zstd.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"
#include "parquet/writer.h"
#include "tests/interop/run_command.h"

namespace rapidbyte::parquet::interop {
namespace {

namespace fs = std::filesystem;
using arrow::DataType;
using arrow::Field;
using nlohmann::json;

constexpr std::size_t kRows = 300;

// Test-only zstd behind the PageCompressor interface (connectors compress through the host).
class ZstdCompressor final : public PageCompressor {
 public:
  Codec codec() const override { return Codec::kZstd; }
  Status Compress(std::span<const uint8_t> input, std::string* out) override {
    out->resize(ZSTD_compressBound(input.size()));
    const std::size_t n = ZSTD_compress(out->data(), out->size(), input.data(), input.size(), 3);
    if (ZSTD_isError(n)) return Status::Internal(ZSTD_getErrorName(n));
    out->resize(n);
    return Status::OK();
  }
};

struct FileSink final : ParquetSink {
  explicit FileSink(const fs::path& path) : out(path, std::ios::binary) {}
  Status Append(std::span<const uint8_t> bytes) override {
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return out ? Status::OK() : Status::Internal("write failed");
  }
  std::ofstream out;
};

// One column: its field, how to append row i, and the canonical value readers must return.
struct TestColumn {
  Field field;
  std::function<Status(arrow::ArrayBuilder*, std::size_t)> append;
  std::function<json(std::size_t)> expected;
};

template <typename B, typename T>
TestColumn Values(Field field, std::vector<std::optional<T>> values, std::vector<json> expected) {
  auto append = [values](arrow::ArrayBuilder* b, std::size_t i) -> Status {
    const auto& v = values[i % values.size()];
    return v ? static_cast<B*>(b)->Append(*v) : b->AppendNull();
  };
  return {std::move(field), append, [expected](std::size_t i) { return expected[i % expected.size()]; }};
}

template <typename ItemB, typename T>
TestColumn Lists(Field field, std::vector<std::optional<std::vector<std::optional<T>>>> values,
                 std::vector<json> expected) {
  auto append = [values](arrow::ArrayBuilder* b, std::size_t i) -> Status {
    const auto& v = values[i % values.size()];
    auto* list = static_cast<arrow::ListBuilder*>(b);
    if (!v) return list->AppendNull();
    RB_RETURN_NOT_OK(list->Append());
    for (const auto& item : *v) {
      RB_RETURN_NOT_OK(item ? list->item_builder_as<ItemB>()->Append(*item)
                            : list->item_builder()->AppendNull());
    }
    return Status::OK();
  };
  return {std::move(field), append, [expected](std::size_t i) { return expected[i % expected.size()]; }};
}

TestColumn Generated(std::string name, std::function<std::string(std::size_t)> value) {
  auto append = [value](arrow::ArrayBuilder* b, std::size_t i) {
    return static_cast<arrow::StringBuilder*>(b)->Append(value(i));
  };
  return {Field(std::move(name), DataType::Utf8()), append, [value](std::size_t i) { return json(value(i)); }};
}

__extension__ typedef __int128 Int128;  // 38-digit decimals

arrow::Decimal128 Dec(Int128 v) {
  return {static_cast<uint64_t>(v), static_cast<int64_t>(v >> 64)};
}

constexpr Int128 kMaxDec38 = static_cast<Int128>(10000000000000000000ULL) * 10000000000000000000ULL - 1;
const json kNull = nullptr;

std::vector<TestColumn> NumericColumns() {
  using L = std::numeric_limits<int64_t>;
  const float fmax = std::numeric_limits<float>::max(), finf = std::numeric_limits<float>::infinity();
  const double dinf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  return {
      Values<arrow::BooleanBuilder, bool>(Field("b", DataType::Bool()), {true, false, {}}, {"true", "false", kNull}),
      Values<arrow::Int8Builder, int8_t>(Field("i8", DataType::Int8()), {-128, 127, 0, {}}, {"-128", "127", "0", kNull}),
      Values<arrow::Int16Builder, int16_t>(Field("i16", DataType::Int16()), {-32768, 32767, {}}, {"-32768", "32767", kNull}),
      Values<arrow::Int32Builder, int32_t>(Field("i32", DataType::Int32()), {INT32_MIN, INT32_MAX, 0, {}},
                                           {"-2147483648", "2147483647", "0", kNull}),
      Values<arrow::Int64Builder, int64_t>(Field("i64", DataType::Int64(), false), {L::min(), L::max(), 0, -1},
                                           {"-9223372036854775808", "9223372036854775807", "0", "-1"}),
      Values<arrow::UInt8Builder, uint8_t>(Field("u8", DataType::UInt8()), {0, 255, {}}, {"0", "255", kNull}),
      Values<arrow::UInt16Builder, uint16_t>(Field("u16", DataType::UInt16()), {0, 65535, {}}, {"0", "65535", kNull}),
      Values<arrow::UInt32Builder, uint32_t>(Field("u32", DataType::UInt32()), {0, UINT32_MAX, {}}, {"0", "4294967295", kNull}),
      Values<arrow::UInt64Builder, uint64_t>(Field("u64", DataType::UInt64()), {0, UINT64_MAX, {}},
                                             {"0", "18446744073709551615", kNull}),
      Values<arrow::Float32Builder, float>(Field("f32", DataType::Float32()), {0.5f, -1.25f, fmax, finf, -finf, std::nanf(""), -0.0f, {}},
                                           {"0.5", "-1.25", "3.4028234663852886e+38", "Infinity", "-Infinity", "NaN", "-0", kNull}),
      Values<arrow::Float64Builder, double>(Field("f64", DataType::Float64()), {0.1, -1e300, 5e-324, dinf, nan, -0.0, {}},
                                            {"0.1", "-1e+300", "5e-324", "Infinity", "NaN", "-0", kNull}),
      Values<arrow::Decimal128Builder, arrow::Decimal128>(Field("d9", DataType::Decimal128(9, 2)), {Dec(12345), Dec(-999999999), Dec(0), {}},
                                                          {"123.45", "-9999999.99", "0.00", kNull}),
      Values<arrow::Decimal128Builder, arrow::Decimal128>(Field("d18", DataType::Decimal128(18, 6)), {Dec(123456789012345678), Dec(-1), {}},
                                                          {"123456789012.345678", "-0.000001", kNull}),
      Values<arrow::Decimal128Builder, arrow::Decimal128>(
          Field("d38", DataType::Decimal128(38, 10)), {Dec(kMaxDec38), Dec(-kMaxDec38), Dec(12345), {}},
          {"9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999", "0.0000012345", kNull}),
  };
}

std::vector<TestColumn> TemporalColumns() {
  using L = std::numeric_limits<int64_t>;
  const arrow::TimeUnit us = arrow::TimeUnit::kMicro;
  return {
      Values<arrow::Int32Builder, int32_t>(Field("date", DataType::Date32()), {0, -719162, 2932896, INT32_MAX, INT32_MIN, {}},
                                           {"0", "-719162", "2932896", "2147483647", "-2147483648", kNull}),
      Values<arrow::Int64Builder, int64_t>(Field("time", DataType::Time64(us)), {0, 86399999999, {}}, {"0", "86399999999", kNull}),
      Values<arrow::Int64Builder, int64_t>(Field("ts", DataType::Timestamp(us)), {0, -62135596800000000, 253402300799999999, L::max(), L::min(), {}},
                                           {"0", "-62135596800000000", "253402300799999999", "9223372036854775807", "-9223372036854775808", kNull}),
      Values<arrow::Int64Builder, int64_t>(Field("tstz", DataType::Timestamp(us, "UTC")), {1700000000123456, -1, {}},
                                           {"1700000000123456", "-1", kNull}),
      Values<arrow::IntervalBuilder, arrow::MonthDayNano>(
          Field("iv", DataType::IntervalMonthDayNano()).With(arrow::kPgTypeKey, "interval"),
          {arrow::MonthDayNano{14, 3, 14706789000000}, arrow::MonthDayNano{-1, -2, -1500}, {}},
          {"14 mons 3 days 04:05:06.789", "-1 mons -2 days -00:00:00.000001", kNull}),
  };
}

std::vector<TestColumn> BinaryColumns() {
  using S = std::string_view;  // literals only: the columns keep the views
  constexpr S uuid("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
  return {
      Values<arrow::StringBuilder, S>(Field("s", DataType::Utf8()).With(arrow::kPgTypeKey, "text"),
                                      {"", "hello", "ünïcödé ✓ 日本", {}}, {"", "hello", "ünïcödé ✓ 日本", kNull}),
      Values<arrow::LargeStringBuilder, S>(Field("ls", DataType::LargeUtf8()), {"large", "", {}}, {"large", "", kNull}),
      Values<arrow::StringBuilder, S>(Field("js", DataType::Utf8()).WithExtension(arrow::kJsonExtension),
                                      {R"({"a":[1,2]})", "[]", {}}, {R"({"a":[1,2]})", "[]", kNull}),
      Values<arrow::BinaryBuilder, S>(Field("bin", DataType::Binary()), {"", S("\x00\xff", 2), {}}, {"", "00ff", kNull}),
      Values<arrow::FixedSizeBinaryBuilder, S>(Field("uuid", DataType::FixedSizeBinary(16)).WithExtension(arrow::kUuidExtension),
                                               {S(uuid), {}}, {"00112233-4455-6677-8899-aabbccddeeff", kNull}),
      Lists<arrow::Int32Builder, int32_t>(Field("li", DataType::List(DataType::Int32())),
                                          {std::vector<std::optional<int32_t>>{1, {}, 3}, std::vector<std::optional<int32_t>>{}, {},
                                           std::vector<std::optional<int32_t>>{INT32_MAX}},
                                          {json{"1", kNull, "3"}, json::array(), kNull, json{"2147483647"}}),
      Lists<arrow::StringBuilder, S>(Field("lsn", DataType::List(DataType::Utf8()), false),
                                     {std::vector<std::optional<S>>{"a", ""}, std::vector<std::optional<S>>{{}},
                                      std::vector<std::optional<S>>{}},
                                     {json{"a", ""}, json{kNull}, json::array()}),
      Generated("dict_s", [](std::size_t i) { return "category-" + std::to_string(i % 5); }),
      Generated("uniq_s", [](std::size_t i) { return "unique-value-number-" + std::to_string(i); }),
  };
}

std::vector<TestColumn> AllColumns() {
  std::vector<TestColumn> all = NumericColumns();
  for (auto part : {TemporalColumns(), BinaryColumns()}) all.insert(all.end(), part.begin(), part.end());
  return all;
}

class ParquetInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* src = std::getenv("RB_SOURCE_DIR");
    ASSERT_NE(src, nullptr) << "RB_SOURCE_DIR is not set (run through ctest)";
    scripts_ = fs::path(src) / "tests" / "interop";
    for (const char* pkg : {"@duckdb/node-api", "hyparquet", "hyparquet-compressors"}) {
      ASSERT_TRUE(fs::exists(scripts_ / "node_modules" / pkg / "package.json"))
          << pkg << " is not installed in " << scripts_ << ": run scripts/setup.sh";
    }
    std::string tmpl = (fs::path(::testing::TempDir()) / "rb_parquet_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty() && std::getenv("RB_INTEROP_KEEP_DIR") == nullptr) fs::remove_all(dir_, ec);
  }

  // Write kRows rows of every column to `name`; return the writer's footer metadata.
  FileMetaData WriteFile(const std::string& name, WriterOptions options) {
    std::vector<Field> fields;
    for (const TestColumn& c : columns_) fields.push_back(c.field);
    auto schema = std::make_shared<arrow::Schema>(std::move(fields));
    auto builder = arrow::RecordBatchBuilder::Make(schema).MoveValueUnsafe();
    for (std::size_t row = 0; row < kRows; ++row) {
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        EXPECT_OK(columns_[c].append(builder->column(static_cast<int>(c)), row));
      }
    }
    auto batch = builder->Finish();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    FileSink sink(dir_ / name);
    auto writer = ParquetWriter::Open(*schema, std::move(options), &sink);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    if (!writer.ok() || !batch.ok()) return {};
    EXPECT_OK((*writer)->WriteBatch(batch->Slice(0, 100)));  // two batches, one row group
    EXPECT_OK((*writer)->WriteBatch(batch->Slice(100, kRows)));
    EXPECT_OK((*writer)->Finish());
    return (*writer)->metadata();
  }

  json Read(const std::string& reader, const std::string& name) {
    return json::parse(testing::RunCommand("cd '" + scripts_.string() + "' && node read_parquet.mjs " +
                                           reader + " '" + (dir_ / name).string() + "'"),
                       nullptr, false);
  }

  // hyparquet returns decimals as JS numbers: compare those as the nearest doubles.
  static bool Same(const json& want, const json& got, bool as_number) {
    if (!as_number || !want.is_string() || !got.is_string()) return want == got;
    const double a = std::stod(want.get<std::string>()), b = std::stod(got.get<std::string>());
    return std::abs(a - b) <= 1e-15 * std::abs(a);
  }

  void ExpectValues(const std::string& reader, const std::string& name) {
    const json got = Read(reader, name);
    ASSERT_TRUE(got.is_object()) << reader << " returned no JSON for " << name;
    for (const TestColumn& c : columns_) {
      const std::string& col = c.field.name();
      ASSERT_TRUE(got["columns"].contains(col)) << reader << " " << name << ": no column " << col;
      const json& values = got["columns"][col];
      ASSERT_EQ(values.size(), kRows) << reader << " " << name << " " << col;
      const bool as_number = reader == "hyparquet" && c.field.type().id() == arrow::TypeId::kDecimal128;
      int mismatches = 0;
      for (std::size_t row = 0; row < kRows && mismatches < 3; ++row) {
        if (Same(c.expected(row), values[row], as_number)) continue;
        ++mismatches;
        ADD_FAILURE() << reader << " " << name << " column " << col << " row " << row << ": expected "
                      << c.expected(row).dump() << ", got " << values[row].dump();
      }
    }
    if (reader == "duckdb") ExpectDuckDbTypes(got["types"]);
    if (reader == "duckdb") ExpectArrowSchema(got["arrow"]);
  }

  // The footer's ARROW:schema as Apache Arrow JS decodes it: exact types, pg_type kept,
  // intervals stored as utf8 like their STRING column.
  static void ExpectArrowSchema(const json& fields) {
    EXPECT_EQ(fields.value("tstz", ""), "Timestamp<MICROSECOND, UTC>");
    EXPECT_EQ(fields.value("d38", ""), "Decimal[38e+10]");
    EXPECT_EQ(fields.value("u64", ""), "Uint64");
    EXPECT_EQ(fields.value("iv", ""), "Utf8 pg_type=interval");
    EXPECT_EQ(fields.value("s", ""), "Utf8 pg_type=text");
    EXPECT_EQ(fields.value("li", ""), "List<Int32>");
  }

  static void ExpectDuckDbTypes(const json& types) {
    const std::vector<std::pair<std::string, std::string>> want = {
        {"b", "BOOLEAN"}, {"i8", "TINYINT"}, {"i16", "SMALLINT"}, {"i32", "INTEGER"}, {"i64", "BIGINT"},
        {"u8", "UTINYINT"}, {"u16", "USMALLINT"}, {"u32", "UINTEGER"}, {"u64", "UBIGINT"},
        {"f32", "FLOAT"}, {"f64", "DOUBLE"}, {"d9", "DECIMAL(9,2)"}, {"d18", "DECIMAL(18,6)"},
        {"d38", "DECIMAL(38,10)"}, {"date", "DATE"}, {"time", "TIME"}, {"ts", "TIMESTAMP"},
        {"tstz", "TIMESTAMP WITH TIME ZONE"}, {"iv", "VARCHAR"}, {"s", "VARCHAR"}, {"bin", "BLOB"},
        {"uuid", "UUID"}, {"li", "INTEGER[]"}, {"lsn", "VARCHAR[]"}};
    for (const auto& [col, type] : want) EXPECT_EQ(types.value(col, ""), type) << "DuckDB type of " << col;
  }

  const std::vector<TestColumn> columns_ = AllColumns();
  fs::path scripts_;
  fs::path dir_;
};

const ColumnMetaData& Chunk(const FileMetaData& meta, std::size_t group, const std::string& column) {
  for (const ColumnChunk& c : meta.row_groups.at(group).columns) {
    if (c.meta_data.path_in_schema.front() == column) return c.meta_data;
  }
  static const ColumnMetaData kNone;
  ADD_FAILURE() << "no column " << column;
  return kNone;
}

bool Has(const ColumnMetaData& c, Encoding e) {
  return std::find(c.encodings.begin(), c.encodings.end(), e) != c.encodings.end();
}

TEST_F(ParquetInteropTest, PlainUncompressed) {
  WriterOptions options;
  options.dictionary = false;
  const FileMetaData meta = WriteFile("plain.parquet", options);
  EXPECT_FALSE(Has(Chunk(meta, 0, "dict_s"), Encoding::kRleDictionary));
  for (const char* reader : {"duckdb", "hyparquet"}) ExpectValues(reader, "plain.parquet");
}

// Several row groups and pages; dict_s stays dictionary-encoded, uniq_s falls back to PLAIN.
void DictionaryOptions(WriterOptions* options) {
  options->row_group_rows = 128;
  options->data_page_bytes = 512;
  options->dictionary_page_limit = 1500;
}

TEST_F(ParquetInteropTest, DictionaryWithFallbackUncompressed) {
  WriterOptions options;
  DictionaryOptions(&options);
  const FileMetaData meta = WriteFile("dict.parquet", options);
  ASSERT_EQ(meta.row_groups.size(), 3u);
  EXPECT_TRUE(Has(Chunk(meta, 0, "dict_s"), Encoding::kRleDictionary));
  EXPECT_FALSE(Has(Chunk(meta, 0, "dict_s"), Encoding::kPlain) && !Chunk(meta, 0, "dict_s").dictionary_page_offset);
  EXPECT_TRUE(Has(Chunk(meta, 0, "uniq_s"), Encoding::kRleDictionary));
  EXPECT_TRUE(Has(Chunk(meta, 0, "uniq_s"), Encoding::kPlain));
  for (const char* reader : {"duckdb", "hyparquet"}) ExpectValues(reader, "dict.parquet");
}

TEST_F(ParquetInteropTest, DictionaryWithFallbackZstd) {
  ZstdCompressor zstd;
  WriterOptions options;
  DictionaryOptions(&options);
  options.compressor = &zstd;
  const FileMetaData meta = WriteFile("dict_zstd.parquet", options);
  EXPECT_EQ(Chunk(meta, 0, "s").codec, Codec::kZstd);
  for (const char* reader : {"duckdb", "hyparquet"}) ExpectValues(reader, "dict_zstd.parquet");
}

}  // namespace
}  // namespace rapidbyte::parquet::interop
