// ParquetWriter structure: magic and footer, type mapping, row group flushing, dictionary
// fallback, errors. Readers check the contents in tests/interop (parquet_interop_test).
#include "parquet/writer.h"

#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"
#include "parquet/values.h"

namespace rapidbyte::parquet {
namespace {

using arrow::DataType;
using arrow::Field;

struct StringSink final : ParquetSink {
  Status Append(std::span<const uint8_t> bytes) override {
    data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return Status::OK();
  }
  std::string data;
};

// One utf8 column holding `values`.
struct TextBatch {
  explicit TextBatch(const std::vector<std::string>& values) {
    schema = std::make_shared<arrow::Schema>(std::vector<Field>{Field("s", DataType::Utf8())});
    builder = arrow::RecordBatchBuilder::Make(schema).MoveValueUnsafe();
    for (const std::string& v : values) {
      EXPECT_OK(builder->column_as<arrow::StringBuilder>(0)->Append(v));
    }
    batch = builder->Finish().MoveValueUnsafe();
  }
  std::shared_ptr<arrow::Schema> schema;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  arrow::RecordBatch batch;
};

std::vector<std::string> Distinct(int n, int width) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string s = std::to_string(i);
    out.push_back(std::string(static_cast<std::size_t>(width) - s.size(), 'x') + s);
  }
  return out;
}

Result<FileMetaData> Write(const TextBatch& t, WriterOptions options, StringSink* sink) {
  RB_ASSIGN_OR_RETURN(auto w, ParquetWriter::Open(*t.schema, std::move(options), sink));
  RB_RETURN_NOT_OK(w->WriteBatch(t.batch));
  RB_RETURN_NOT_OK(w->Finish());
  return w->metadata();
}

TEST(ParquetWriterTest, FileHasMagicAndFooterLength) {
  TextBatch t({"a", "b", "a"});
  StringSink sink;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta, Write(t, {}, &sink));
  ASSERT_GT(sink.data.size(), 12u);
  EXPECT_EQ(sink.data.substr(0, 4), "PAR1");
  EXPECT_EQ(sink.data.substr(sink.data.size() - 4), "PAR1");
  uint32_t footer = 0;
  std::memcpy(&footer, sink.data.data() + sink.data.size() - 8, 4);
  EXPECT_LT(footer, sink.data.size() - 12);
  EXPECT_EQ(meta.num_rows, 3);
  ASSERT_EQ(meta.row_groups.size(), 1u);
  const ColumnMetaData& c = meta.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(c.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle,
                                                Encoding::kRleDictionary}));
  EXPECT_EQ(c.dictionary_page_offset, 4);
  EXPECT_EQ(*c.statistics.min_value, "a");
  EXPECT_EQ(*c.statistics.max_value, "b");
  EXPECT_EQ(meta.key_value_metadata.at(0).key, "ARROW:schema");
}

TEST(ParquetWriterTest, DictionaryFallsBackToPlain) {
  TextBatch t(Distinct(1000, 16));
  StringSink sink;
  WriterOptions options;
  options.dictionary_page_limit = 4000;  // ~200 entries of 20 bytes
  options.data_page_bytes = 1000;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta, Write(t, options, &sink));
  const ColumnMetaData& c = meta.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(c.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle,
                                                Encoding::kRleDictionary}));
  ASSERT_TRUE(c.dictionary_page_offset.has_value());
  EXPECT_EQ(c.num_values, 1000);
  EXPECT_EQ(*c.statistics.max_value, "xxxxxxxxxxxxxxx9");  // byte-wise: 'x' > '9'
}

// A column that outgrew its dictionary in one row group starts the next one PLAIN; one that
// did not keeps its dictionary.
TEST(ParquetWriterTest, AColumnThatFellBackStaysPlainInLaterRowGroups) {
  TextBatch distinct(Distinct(1000, 16));
  StringSink sink;
  WriterOptions options;
  options.dictionary_page_limit = 4000;
  options.row_group_rows = 400;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta, Write(distinct, options, &sink));
  ASSERT_EQ(meta.row_groups.size(), 3u);
  EXPECT_TRUE(meta.row_groups[0].columns[0].meta_data.dictionary_page_offset.has_value());
  for (std::size_t g = 1; g < 3; ++g) {
    const ColumnMetaData& c = meta.row_groups[g].columns[0].meta_data;
    EXPECT_EQ(c.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle})) << g;
    EXPECT_FALSE(c.dictionary_page_offset.has_value()) << g;
  }
  std::vector<std::string> few;
  for (int i = 0; i < 1000; ++i) few.push_back(i % 2 == 0 ? "even" : "odd");
  StringSink sink2;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta2, Write(TextBatch(few), options, &sink2));
  for (const RowGroup& g : meta2.row_groups) {
    EXPECT_TRUE(g.columns[0].meta_data.dictionary_page_offset.has_value());
  }
}

// The size of a dictionary-encoded chunk's dictionary page (header included); 0 if none.
int64_t DictionaryPageBytes(const ColumnMetaData& c) {
  EXPECT_EQ(c.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle,
                                                Encoding::kRleDictionary}));
  if (!c.dictionary_page_offset.has_value()) {
    ADD_FAILURE() << "no dictionary page";
    return 0;
  }
  return c.data_page_offset - *c.dictionary_page_offset;
}

// A column of distinct values leaves its dictionary after kDistinctCheckValues (4096)
// values, long before the 1 MiB limit: the dictionary page stays small.
TEST(ParquetWriterTest, MostlyDistinctValuesLeaveTheDictionaryEarly) {
  TextBatch t(Distinct(20000, 8));
  StringSink sink;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta, Write(t, {}, &sink));
  const ColumnMetaData& c = meta.row_groups[0].columns[0].meta_data;
  const int64_t dictionary_bytes = DictionaryPageBytes(c);
  EXPECT_LT(dictionary_bytes, 4200 * 12);  // ~4096 entries of 4 + 8 bytes, not 20000
  EXPECT_EQ(c.num_values, 20000);
}

// A dictionary of more entries than its index's first table (1024 slots) stays complete:
// 3000 distinct values, each seen ten times, in one dictionary page and no PLAIN page.
TEST(ParquetWriterTest, ARepeatingColumnKeepsEveryDictionaryEntry) {
  const std::vector<std::string> distinct = Distinct(3000, 6);
  std::vector<std::string> values;
  for (int round = 0; round < 10; ++round) {
    values.insert(values.end(), distinct.begin(), distinct.end());
  }
  TextBatch t(values);
  StringSink sink;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta, Write(t, {}, &sink));
  const ColumnMetaData& c = meta.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(c.num_values, 30000);
  // The dictionary page (uncompressed): a header, then 3000 entries of 4 + 6 bytes.
  const int64_t dictionary_bytes = DictionaryPageBytes(c);
  EXPECT_GE(dictionary_bytes, 3000 * 10);
  EXPECT_LT(dictionary_bytes, 3000 * 10 + 64);
  // 30000 indices of 12 bits are ~45 kB; PLAIN would be 300 kB.
  EXPECT_LT(c.total_compressed_size, 3000 * 10 + 64 + 50000);
}

template <typename T>
std::string Raw(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Statistics are kept per run of values (natively for fixed-width columns, as views for
// strings): every path (the dictionary, per-value PLAIN with NULLs, page-sized PLAIN runs
// without) reports the exact bounds and null count. NaN stays out of the bounds; a zero
// bound is -0 (min) or +0 (max); strings compare as unsigned bytes.
TEST(ParquetWriterTest, StatisticsOnEveryPath) {
  auto schema = std::make_shared<arrow::Schema>(std::vector<Field>{
      Field("id", DataType::Int64(), false), Field("n", DataType::Int32()),
      Field("x", DataType::Float64(), false), Field("d", DataType::Decimal128(12, 2), false),
      Field("s", DataType::Utf8())});
  auto builder = arrow::RecordBatchBuilder::Make(schema).MoveValueUnsafe();
  constexpr int kRows = 20000;  // distinct ids: the dictionary falls back after 4096
  for (int i = 0; i < kRows; ++i) {
    EXPECT_OK(builder->column_as<arrow::Int64Builder>(0)->Append(int64_t{1000} - i * int64_t{3}));
    auto* n = builder->column_as<arrow::Int32Builder>(1);
    EXPECT_OK(i % 7 == 0 ? n->AppendNull() : n->Append(i % 100 - 50));
    const double x = i == 5 ? std::nan("") : (i == 9 ? -0.0 : static_cast<double>(i % 10));
    EXPECT_OK(builder->column_as<arrow::Float64Builder>(2)->Append(x));
    EXPECT_OK(builder->column_as<arrow::Decimal128Builder>(3)->Append(arrow::Decimal128::FromInt64(i - 7000)));
    auto* text = builder->column_as<arrow::StringBuilder>(4);
    const std::string v = i == 123 ? "\xc3\xa9t\xc3\xa9" : (i == 78 ? "" : "k" + std::to_string(i % 5000));
    EXPECT_OK(i % 11 == 0 ? text->AppendNull() : text->Append(v));
  }
  arrow::RecordBatch batch = builder->Finish().MoveValueUnsafe();
  for (const bool dictionary : {true, false}) {
    SCOPED_TRACE(dictionary ? "dictionary" : "plain");
    WriterOptions options;
    options.dictionary = dictionary;
    options.data_page_bytes = 4096;  // many pages: runs end at page boundaries
    StringSink sink;
    ASSERT_OK_AND_ASSIGN(auto w, ParquetWriter::Open(*schema, options, &sink));
    ASSERT_OK(w->WriteBatch(batch));
    ASSERT_OK(w->Finish());
    const auto& columns = w->metadata().row_groups.at(0).columns;
    const Statistics id = columns[0].meta_data.statistics;
    EXPECT_EQ(id.min_value, Raw<int64_t>(1000 - (kRows - 1) * 3));
    EXPECT_EQ(id.max_value, Raw<int64_t>(1000));
    EXPECT_EQ(id.null_count, 0);
    EXPECT_EQ(columns[0].meta_data.num_values, kRows);
    const Statistics n = columns[1].meta_data.statistics;
    EXPECT_EQ(n.min_value, Raw<int32_t>(-50));
    EXPECT_EQ(n.max_value, Raw<int32_t>(49));
    EXPECT_EQ(n.null_count, (kRows + 6) / 7);
    const Statistics x = columns[2].meta_data.statistics;
    EXPECT_EQ(x.min_value, Raw<double>(-0.0));
    EXPECT_EQ(x.max_value, Raw<double>(9.0));
    const Statistics d = columns[3].meta_data.statistics;  // INT64 physical, 16-byte slots
    EXPECT_EQ(d.min_value, Raw<int64_t>(-7000));
    EXPECT_EQ(d.max_value, Raw<int64_t>(kRows - 1 - 7000));
    EXPECT_EQ(columns[3].meta_data.type, PhysicalType::kInt64);
    const Statistics text = columns[4].meta_data.statistics;
    EXPECT_EQ(text.min_value, "");                        // row 78
    EXPECT_EQ(text.max_value, "\xc3\xa9t\xc3\xa9");  // 0xc3 sorts after ASCII
    EXPECT_EQ(text.null_count, (kRows + 10) / 11);
  }
}

TEST(ParquetWriterTest, WithoutDictionaryEverythingIsPlain) {
  TextBatch t({"a", "b"});
  StringSink sink;
  WriterOptions options;
  options.dictionary = false;
  ASSERT_OK_AND_ASSIGN(FileMetaData meta, Write(t, options, &sink));
  const ColumnMetaData& c = meta.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(c.encodings, (std::vector<Encoding>{Encoding::kPlain, Encoding::kRle}));
  EXPECT_FALSE(c.dictionary_page_offset.has_value());
}

TEST(ParquetWriterTest, RowGroupsByRowsAndBytes) {
  TextBatch t(Distinct(10000, 32));
  StringSink by_rows, by_bytes;
  WriterOptions rows;
  rows.row_group_rows = 3000;
  ASSERT_OK_AND_ASSIGN(FileMetaData a, Write(t, rows, &by_rows));
  ASSERT_EQ(a.row_groups.size(), 4u);
  EXPECT_EQ(a.row_groups[3].num_rows, 1000);
  WriterOptions bytes;
  bytes.row_group_bytes = 100000;
  ASSERT_OK_AND_ASSIGN(FileMetaData b, Write(t, bytes, &by_bytes));
  EXPECT_GT(b.row_groups.size(), 2u);
  EXPECT_EQ(b.num_rows, 10000);
  EXPECT_EQ(b.row_groups[1].file_offset,
            b.row_groups[0].file_offset + b.row_groups[0].total_compressed_size);
}

TEST(ParquetWriterTest, MapsTypesPerSpec) {
  arrow::Schema schema({Field("d9", DataType::Decimal128(9, 2)), Field("d18", DataType::Decimal128(18, 0)),
                        Field("d19", DataType::Decimal128(19, 4)), Field("d38", DataType::Decimal128(38, 10)),
                        Field("tz", DataType::Timestamp(arrow::TimeUnit::kMicro, "UTC")),
                        Field("u", DataType::FixedSizeBinary(16)).WithExtension(arrow::kUuidExtension),
                        Field("l", DataType::List(DataType::Int32()))});
  ASSERT_OK_AND_ASSIGN(ParquetSchema p, MapSchema(schema));
  EXPECT_EQ(p.columns[0].type, PhysicalType::kInt32);
  EXPECT_EQ(p.columns[1].type, PhysicalType::kInt64);
  EXPECT_EQ(p.columns[2].type_length, 9);
  EXPECT_EQ(p.columns[3].type_length, 16);
  EXPECT_TRUE(p.elements[5].logical_type.adjusted_to_utc);
  EXPECT_EQ(p.elements[6].logical_type.kind, LogicalType::Kind::kUuid);
  EXPECT_EQ(p.columns[6].max_def, 3);
  EXPECT_EQ(p.columns[6].max_rep, 1);
  EXPECT_EQ(p.columns[6].path, (std::vector<std::string>{"l", "list", "element"}));
}

TEST(ParquetWriterTest, UnsupportedTypesNameTheField) {
  StringSink sink;
  arrow::Schema nested({Field("a", DataType::List(DataType::List(DataType::Int32())))});
  auto r = ParquetWriter::Open(nested, {}, &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field 'a'"), std::string::npos);
  arrow::Schema seconds({Field("t", DataType::Timestamp(arrow::TimeUnit::kSecond))});
  EXPECT_FALSE(ParquetWriter::Open(seconds, {}, &sink).ok());
}

TEST(ParquetWriterTest, RejectsBatchesOfAnotherSchema) {
  TextBatch t({"a"});
  StringSink sink;
  arrow::Schema other({Field("s", DataType::Int32())});
  ASSERT_OK_AND_ASSIGN(auto w, ParquetWriter::Open(other, {}, &sink));
  EXPECT_FALSE(w->WriteBatch(t.batch).ok());
}

TEST(ParquetWriterTest, IntervalText) {
  std::string out;
  AppendIntervalText({14, 3, 4 * 3600000000000LL + 5 * 60000000000LL + 6789000000LL}, &out);
  EXPECT_EQ(out, "14 mons 3 days 04:05:06.789");
  out.clear();
  AppendIntervalText({-1, -2, -1500}, &out);
  EXPECT_EQ(out, "-1 mons -2 days -00:00:00.000001");
}

}  // namespace
}  // namespace rapidbyte::parquet
