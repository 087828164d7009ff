// Tests for StreamWriter: framing, alignment, padding, body size, errors, reuse.
#include "arrow/ipc/writer.h"

#include <cstring>

#include <gtest/gtest.h>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/test_batches.h"
#include "base/test_util.h"

namespace rapidbyte::arrow::ipc {
namespace {

using testing::AllTypesSchema;
using testing::FillAllTypes;

uint32_t U32(const ByteBuffer& b, int64_t at) {
  uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}

TEST(StreamWriterTest, FramesAreAlignedAndEndWithEos) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  FillAllTypes(rbb.get(), 11, 0);
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  ByteBuffer out;
  ASSERT_OK(WriteFrame(batch, &out));
  ASSERT_EQ(out.size() % 8, 0);
  // Walk the messages: continuation, length (multiple of 8 with the prefix), body.
  int64_t pos = 0;
  int messages = 0;
  while (true) {
    ASSERT_EQ(pos % 8, 0);
    ASSERT_EQ(U32(out, pos), 0xFFFFFFFFu);
    const uint32_t len = U32(out, pos + 4);
    if (len == 0) {
      pos += 8;
      break;
    }
    ASSERT_EQ((8 + len) % 8, 0u);
    ++messages;
    pos += 8 + len;
    if (messages == 2) {
      // The record batch body: exactly what the builder predicted.
      pos += rbb->BufferBytes();
    }
  }
  EXPECT_EQ(messages, 2);
  EXPECT_EQ(pos, out.size());
}

TEST(StreamWriterTest, BodyLengthEqualsBufferBytes) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  for (int64_t rows : {0, 1, 7, 64, 333}) {
    rbb->Reset();
    FillAllTypes(rbb.get(), rows, 1);
    ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
    ByteBuffer schema_only;
    ASSERT_OK(WriteStream(*schema, {}, &schema_only));
    ByteBuffer frame;
    ASSERT_OK(WriteFrame(batch, &frame));
    // frame = schema message + batch message + EOS; schema_only = schema message + EOS.
    const int64_t batch_message = frame.size() - schema_only.size();
    const int64_t metadata = 8 + U32(frame, schema_only.size() - 8 + 4);
    EXPECT_EQ(batch_message - metadata, rbb->BufferBytes()) << rows << " rows";
  }
}

TEST(StreamWriterTest, ZeroRowStream) {
  auto schema = AllTypesSchema();
  ByteBuffer out;
  ASSERT_OK(WriteStream(*schema, {}, &out));
  ASSERT_OK_AND_ASSIGN(StreamSummary summary, InspectStream(out.span()));
  EXPECT_EQ(summary.num_batches, 0);
  EXPECT_EQ(summary.num_rows, 0);
  EXPECT_EQ(*summary.schema, *schema);
}

TEST(StreamWriterTest, PaddingIsZero) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{Field("s", DataType::Utf8())});
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  ASSERT_OK(rbb->column_as<StringBuilder>(0)->Append("abc"));  // 3 data bytes -> 5 padding
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  ByteBuffer out;
  ASSERT_OK(WriteFrame(batch, &out));
  // Last 8 bytes are EOS; before them the data buffer "abc" + 5 zero bytes.
  const uint8_t* tail = out.data() + out.size() - 16;
  EXPECT_EQ(std::memcmp(tail, "abc\0\0\0\0\0", 8), 0);
}

TEST(StreamWriterTest, ErrorsOnMisuse) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
  ByteBuffer out;
  StreamWriter w(&out);
  EXPECT_EQ(w.WriteRecordBatch(batch).code(), StatusCode::kFailedPrecondition);
  ASSERT_OK(w.WriteSchema(Schema({Field("other", DataType::Int32())})));
  EXPECT_EQ(w.WriteRecordBatch(batch).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(w.WriteSchema(*schema).code(), StatusCode::kFailedPrecondition);
  ASSERT_OK(w.WriteEndOfStream());
  EXPECT_EQ(w.WriteEndOfStream().code(), StatusCode::kFailedPrecondition);
  ByteBuffer bad;
  EXPECT_EQ(WriteStream(Schema({Field("d", DataType::Decimal128(0, 0))}), {}, &bad).code(),
            StatusCode::kInvalidArgument);
}

TEST(StreamWriterTest, ReusesOutputBufferAcrossFrames) {
  auto schema = AllTypesSchema();
  ASSERT_OK_AND_ASSIGN(auto rbb, RecordBatchBuilder::Make(schema));
  ByteBuffer frame;
  const uint8_t* first_data = nullptr;
  for (int i = 0; i < 5; ++i) {
    rbb->Reset();
    FillAllTypes(rbb.get(), 100, 0);
    ASSERT_OK_AND_ASSIGN(RecordBatch batch, rbb->Finish());
    frame.Clear();
    ASSERT_OK(WriteFrame(batch, &frame));
    if (i == 0) first_data = frame.data();
    EXPECT_EQ(frame.data(), first_data);  // same size each time: no reallocation
    ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(frame.span()));
    ASSERT_EQ(c.batches.size(), 1u);
    EXPECT_EQ(testing::BatchCells(c.batches[0]), testing::BatchCells(batch));
  }
}

}  // namespace
}  // namespace rapidbyte::arrow::ipc
