// Write-then-read round trips: every type with nulls, slices, several batches, one frame.
#include <gtest/gtest.h>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/test_batches.h"
#include "arrow/ipc/writer.h"
#include "base/test_util.h"

namespace rapidbyte::arrow::ipc {
namespace {

using testing::AllTypesSchema;
using testing::BatchCells;
using testing::FillAllTypes;

TEST(RoundTripTest, AllTypesWithNulls) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  FillAllTypes(rbb.get(), 40, 3);
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  ByteBuffer out;
  ASSERT_OK(WriteFrame(batch, &out));
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(out.span(), {Validation::kFull}));
  ASSERT_EQ(c.batches.size(), 1u);
  EXPECT_EQ(*c.schema, *schema);
  EXPECT_EQ(BatchCells(c.batches[0]), BatchCells(batch));
  // Spot checks on the decoded values.
  const RecordBatch& b = c.batches[0];
  EXPECT_EQ(Int64Array(b.column(schema->GetFieldIndex("i64"))).Value(0), INT64_MAX);
  EXPECT_EQ(UInt64Array(b.column(schema->GetFieldIndex("u64"))).Value(0), UINT64_MAX);
  EXPECT_TRUE(b.column(schema->GetFieldIndex("utf8")).IsNull(1));
  EXPECT_EQ(b.column(schema->GetFieldIndex("null")).null_count, 40);
}

TEST(RoundTripTest, SlicesAreRebased) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  FillAllTypes(rbb.get(), 50, 0);
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  for (int64_t start : {0, 1, 3, 7, 8, 13, 49}) {
    for (int64_t count : {0, 1, 5, 9, 37}) {
      RecordBatch slice = batch.Slice(start, count);
      ByteBuffer out;
      ASSERT_OK(WriteFrame(slice, &out));
      ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(out.span(), {Validation::kFull}));
      ASSERT_EQ(c.batches.size(), 1u);
      EXPECT_EQ(BatchCells(c.batches[0]), BatchCells(slice)) << start << "+" << count;
    }
  }
}

TEST(RoundTripTest, SeveralBatchesIncludingEmpty) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  ByteBuffer out;
  StreamWriter w(&out);
  ASSERT_OK(w.WriteSchema(schema));
  std::vector<std::vector<std::string>> expected;
  for (int64_t rows : {7, 0, 1, 200}) {
    rbb->Reset();
    FillAllTypes(rbb.get(), rows, static_cast<int>(rows));
    ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
    ASSERT_OK(w.WriteRecordBatch(batch));
    expected.push_back(BatchCells(batch));
  }
  ASSERT_OK(w.WriteEndOfStream());
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(out.span(), {Validation::kFull}));
  ASSERT_EQ(c.batches.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(BatchCells(c.batches[i]), expected[i]) << "batch " << i;
  }
}

TEST(RoundTripTest, ReadBatchesCanBeWrittenAgain) {
  const int64_t rows[] = {9, 4};
  ByteBuffer first = testing::AllTypesStream(rows);
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(first.span()));
  ByteBuffer second;
  ASSERT_OK(WriteStream(*c.schema, c.batches, &second));
  EXPECT_EQ(std::vector<uint8_t>(first.data(), first.data() + first.size()),
            std::vector<uint8_t>(second.data(), second.data() + second.size()));
}

TEST(RoundTripTest, LargeValues) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("big", DataType::LargeBinary()), Field("text", DataType::Utf8())});
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  std::string big(3 << 20, 'z');
  big[12345] = '\0';
  ASSERT_OK(rbb->column_as<LargeBinaryBuilder>(0)->Append(big));
  ASSERT_OK(rbb->column_as<StringBuilder>(1)->Append(std::string(100000, 'y')));
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  ByteBuffer out;
  ASSERT_OK(WriteFrame(batch, &out));
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(out.span(), {Validation::kFull}));
  EXPECT_EQ(LargeBinaryArray(c.batches[0].column(0)).GetView(0), big);
  EXPECT_EQ(StringArray(c.batches[0].column(1)).GetView(0).size(), 100000u);
}

}  // namespace
}  // namespace rapidbyte::arrow::ipc
