// Tests for StreamReader, ReadStream and InspectStream on valid streams: zero-copy views,
// several batches, end of stream, options.
#include "arrow/ipc/reader.h"

#include <gtest/gtest.h>

#include "arrow/ipc/test_batches.h"
#include "arrow/ipc/writer.h"
#include "base/test_util.h"

namespace rapidbyte::arrow::ipc {
namespace {

using testing::AllTypesSchema;
using testing::AllTypesStream;

bool Inside(const uint8_t* p, const ByteBuffer& b) {
  return p >= b.data() && p < b.data() + b.size();
}

TEST(StreamReaderTest, ReadsSchemaAndBatchesZeroCopy) {
  const int64_t rows[] = {5, 0, 17};
  ByteBuffer stream = AllTypesStream(rows);
  ASSERT_OK_AND_ASSIGN(StreamReader reader, StreamReader::Open(stream.span()));
  EXPECT_EQ(*reader.schema(), *AllTypesSchema());
  std::vector<int64_t> seen;
  RecordBatch batch;
  while (true) {
    ASSERT_OK_AND_ASSIGN(bool more, reader.Next(&batch));
    if (!more) break;
    seen.push_back(batch.num_rows());
    for (int c = 0; c < batch.num_columns(); ++c) {
      const ArrayView& col = batch.column(c);
      if (col.validity != nullptr) {
        EXPECT_TRUE(Inside(col.validity, stream));
      }
      if (col.values != nullptr && col.length > 0) {
        EXPECT_TRUE(Inside(col.values, stream));
      }
      if (col.data != nullptr && col.length > 0 && col.type->id() == TypeId::kUtf8) {
        EXPECT_TRUE(Inside(col.data, stream));
      }
    }
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{5, 0, 17}));
  ASSERT_OK_AND_ASSIGN(bool again, reader.Next(&batch));
  EXPECT_FALSE(again);
}

TEST(StreamReaderTest, InspectCountsRows) {
  const int64_t rows[] = {3, 4, 0, 100};
  ByteBuffer stream = AllTypesStream(rows);
  ASSERT_OK_AND_ASSIGN(StreamSummary s, InspectStream(stream.span()));
  EXPECT_EQ(s.num_batches, 4);
  EXPECT_EQ(s.num_rows, 107);
  EXPECT_EQ(s.schema->metadata().Get(kPgRelationKey), "public.all_types");
}

TEST(StreamReaderTest, FullValidationAcceptsValidData) {
  const int64_t rows[] = {50};
  ByteBuffer stream = AllTypesStream(rows);
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(stream.span(), ReadOptions{Validation::kFull}));
  ASSERT_EQ(c.batches.size(), 1u);
  EXPECT_EQ(c.batches[0].num_rows(), 50);
}

TEST(StreamReaderTest, SchemaMetadataAndExtensionsSurvive) {
  const int64_t rows[] = {1};
  ByteBuffer stream = AllTypesStream(rows);
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(stream.span()));
  const Schema& s = *c.schema;
  EXPECT_EQ(s.field(s.GetFieldIndex("uuid")).extension_name(), kUuidExtension);
  EXPECT_EQ(s.field(s.GetFieldIndex("json")).extension_name(), kJsonExtension);
  EXPECT_EQ(s.field(s.GetFieldIndex("json")).metadata().Get(kPgTypeKey), "jsonb");
  EXPECT_EQ(s.metadata().Get(kPgPrimaryKeyKey), "[\"i32\"]");
  EXPECT_FALSE(s.field(s.GetFieldIndex("i32")).nullable());
  EXPECT_EQ(s.field(s.GetFieldIndex("ts_us_utc")).type().ToString(), "timestamp[us, UTC]");
  EXPECT_EQ(s.field(s.GetFieldIndex("list_i32")).type().ToString(), "list<int32>");
}

}  // namespace
}  // namespace rapidbyte::arrow::ipc
