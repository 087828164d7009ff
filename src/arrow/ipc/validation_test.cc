// Tests that the reader rejects malformed streams with clear InvalidArgument messages, and
// that no corruption of a valid stream makes it read out of bounds.
#include <cstring>

#include <gtest/gtest.h>

#include "arrow/ipc/format_internal.h"
#include "arrow/ipc/metadata_internal.h"
#include "arrow/ipc/reader.h"
#include "arrow/ipc/test_batches.h"
#include "arrow/ipc/writer.h"
#include "base/test_util.h"

namespace rapidbyte::arrow::ipc {
namespace {

using internal::BufferMeta;
using internal::FieldNodeMeta;

std::vector<uint8_t> ToVector(const ByteBuffer& b) {
  return std::vector<uint8_t>(b.data(), b.data() + b.size());
}

void AppendMessage(const internal::FbWriter& fb, std::span<const uint8_t> body,
                   std::vector<uint8_t>* out) {
  const int64_t padded = (fb.size() + 8 + 7) / 8 * 8 - 8;
  const uint32_t prefix[2] = {internal::kContinuation, static_cast<uint32_t>(padded)};
  out->insert(out->end(), reinterpret_cast<const uint8_t*>(prefix),
              reinterpret_cast<const uint8_t*>(prefix) + 8);
  out->insert(out->end(), fb.data(), fb.data() + fb.size());
  out->resize(out->size() + static_cast<std::size_t>(padded - fb.size()), 0);
  out->insert(out->end(), body.begin(), body.end());
}

// A stream with `schema` and one hand-made record batch.
std::vector<uint8_t> Craft(const Schema& schema, int64_t length,
                           const std::vector<FieldNodeMeta>& nodes,
                           const std::vector<BufferMeta>& buffers, std::vector<uint8_t> body) {
  std::vector<uint8_t> out;
  internal::FbWriter fb;
  internal::EncodeSchemaMessage(schema, &fb);
  AppendMessage(fb, {}, &out);
  internal::EncodeRecordBatchMessage(length, nodes, buffers, static_cast<int64_t>(body.size()),
                                     &fb);
  AppendMessage(fb, body, &out);
  const uint32_t eos[2] = {internal::kContinuation, 0};
  out.insert(out.end(), reinterpret_cast<const uint8_t*>(eos),
             reinterpret_cast<const uint8_t*>(eos) + 8);
  return out;
}

Status ReadAll(std::span<const uint8_t> bytes, Validation v = Validation::kStructural) {
  auto r = ReadStream(bytes, ReadOptions{v});
  return r.ok() ? Status::OK() : r.status();
}

#define EXPECT_INVALID(status, fragment)                                          \
  do {                                                                            \
    Status st_ = (status);                                                        \
    EXPECT_EQ(st_.code(), StatusCode::kInvalidArgument) << st_.ToString();        \
    EXPECT_NE(st_.message().find(fragment), std::string::npos) << st_.ToString(); \
  } while (false)

Schema Int32Schema() { return Schema({Field("n", DataType::Int32())}); }
Schema Utf8Schema() { return Schema({Field("s", DataType::Utf8())}); }

// utf8 column ["ab", "cd", null]: validity 0b011, offsets 0,2,4,4, data "abcd".
std::vector<uint8_t> Utf8Body(int32_t o1, int32_t o2, const char* data) {
  std::vector<uint8_t> body(32, 0);
  body[0] = 0b011;
  const int32_t offsets[4] = {0, o1, o2, 4};
  std::memcpy(body.data() + 8, offsets, 16);
  std::memcpy(body.data() + 24, data, 4);
  return body;
}
std::vector<uint8_t> Utf8Stream(int32_t o1, int32_t o2, const char* data, int64_t nulls = 1) {
  return Craft(Utf8Schema(), 3, {{3, nulls}}, {{0, 1}, {8, 16}, {24, 4}}, Utf8Body(o1, o2, data));
}

TEST(ValidationTest, CraftedValidStreamReads) {
  auto bytes = Utf8Stream(2, 4, "abcd");
  ASSERT_OK_AND_ASSIGN(StreamContents c, ReadStream(bytes, {Validation::kFull}));
  EXPECT_EQ(StringArray(c.batches[0].column(0)).GetView(1), "cd");
}

TEST(ValidationTest, OffsetsPastTheData) {
  EXPECT_INVALID(ReadAll(Utf8Stream(2, 9, "abcd")), "column 's': offset");
  auto bytes = Utf8Stream(2, 4, "abcd");
  EXPECT_OK(InspectStream(bytes).status());  // metadata-only level does not read offsets
}

TEST(ValidationTest, DecreasingOffsets) {
  EXPECT_INVALID(ReadAll(Utf8Stream(3, 2, "abcd")), "decreasing");
}

TEST(ValidationTest, InvalidUtf8OnlyOnFullValidation) {
  auto bytes = Utf8Stream(2, 4,
                          "a\xff"
                          "cd");
  EXPECT_OK(ReadAll(bytes, Validation::kStructural));
  EXPECT_INVALID(ReadAll(bytes, Validation::kFull), "value 0 is not valid UTF-8");
}

TEST(ValidationTest, NullCountMismatchOnFullValidation) {
  auto bytes = Utf8Stream(2, 4, "abcd", /*nulls=*/2);
  EXPECT_OK(ReadAll(bytes, Validation::kStructural));
  EXPECT_INVALID(ReadAll(bytes, Validation::kFull), "does not match the validity bitmap");
}

TEST(ValidationTest, BufferOutsideBody) {
  std::vector<uint8_t> body(16, 0);
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{2, 0}}, {{0, 0}, {8, 16}}, body)),
                 "column 'n': buffer 1 [offset 8, length 16] exceeds the body of 16 bytes");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{2, 0}}, {{0, 0}, {-8, 8}}, body)), "buffer 1");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{2, 0}}, {{0, 0}, {INT64_MAX, 8}}, body)),
                 "exceeds the body");
}

TEST(ValidationTest, ValuesBufferTooSmall) {
  std::vector<uint8_t> body(8, 0);
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 3, {{3, 0}}, {{0, 0}, {0, 8}}, body)),
                 "too small for 3 values");
}

TEST(ValidationTest, NodeAndBufferCountsMustMatchTheSchema) {
  std::vector<uint8_t> body(8, 0);
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {}, {{0, 0}, {0, 8}}, body)),
                 "missing field node");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{2, 0}}, {{0, 0}}, body)), "missing buffer");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{2, 0}}, {{0, 0}, {0, 8}, {0, 0}}, body)),
                 "the schema needs 1 and 2");
}

TEST(ValidationTest, ImplausibleLengths) {
  std::vector<uint8_t> body(8, 0);
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{2, 3}}, {{0, 1}, {0, 8}}, body)), "implausible");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 2, {{1, 0}}, {{0, 0}, {0, 8}}, body)),
                 "has 1 rows, the batch 2");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), -1, {{2, 0}}, {{0, 0}, {0, 8}}, body)),
                 "negative record batch length");
  EXPECT_INVALID(ReadAll(Craft(Int32Schema(), 9, {{9, 1}}, {{0, 0}, {0, 8}}, body)),
                 "validity bitmap of 0 bytes is too small");
}

TEST(ValidationTest, NonNullableColumnWithNulls) {
  Schema schema({Field("n", DataType::Int32(), /*nullable=*/false)});
  std::vector<uint8_t> body(16, 0);
  EXPECT_INVALID(ReadAll(Craft(schema, 2, {{2, 1}}, {{0, 1}, {8, 8}}, body)),
                 "non-nullable but holds 1 nulls");
}

TEST(ValidationTest, ListOffsetsPastItems) {
  Schema schema({Field("l", DataType::List(DataType::Int32()))});
  std::vector<uint8_t> body(24, 0);
  const int32_t offsets[2] = {0, 3};  // 3 items claimed, item array has 2
  std::memcpy(body.data(), offsets, 8);
  EXPECT_INVALID(
      ReadAll(Craft(schema, 1, {{1, 0}, {2, 0}}, {{0, 0}, {0, 8}, {0, 0}, {8, 8}}, body)),
      "column 'l': offset 1 (3)");
}

TEST(ValidationTest, FramingErrors) {
  const int64_t rows[] = {3};
  std::vector<uint8_t> good = ToVector(testing::AllTypesStream(rows));
  auto missing_eos = good;
  missing_eos.resize(missing_eos.size() - 8);
  EXPECT_INVALID(ReadAll(missing_eos), "without an end-of-stream marker");
  auto trailing = good;
  trailing.resize(trailing.size() + 8, 0);
  EXPECT_INVALID(ReadAll(trailing), "8 bytes after the end-of-stream marker");
  auto no_marker = good;
  no_marker[0] = 0;
  EXPECT_INVALID(ReadAll(no_marker), "IPC message 0 at byte 0: expected continuation marker");
  auto huge_metadata = good;
  huge_metadata[7] = 0x7F;
  EXPECT_INVALID(ReadAll(huge_metadata), "exceeds the stream");
  EXPECT_INVALID(ReadAll({}), "without an end-of-stream marker");
  const uint8_t eos_only[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0};
  EXPECT_INVALID(ReadAll(eos_only), "no schema message");
}

TEST(ValidationTest, EveryTruncationIsAnError) {
  const int64_t rows[] = {4};
  std::vector<uint8_t> good = ToVector(testing::AllTypesStream(rows));
  // Every byte of the first messages' headers, then a sample (the fuzzer does the rest).
  for (std::size_t n = 0; n < good.size(); n += (n < 64 ? 1 : 7)) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    Status st = ReadAll(cut);
    ASSERT_EQ(st.code(), StatusCode::kInvalidArgument) << "prefix of " << n << " bytes";
    ASSERT_EQ(InspectStream(cut).status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(ValidationTest, UnsupportedSchemaContent) {
  // A schema whose only field is a float16 (FloatingPoint precision HALF).
  internal::FbWriter w;
  const int64_t root = w.ReserveOffset();
  w.StartTable();
  w.AddScalar<int16_t>(internal::kMessageVersion, internal::kMetadataV5);
  w.AddScalar<uint8_t>(internal::kMessageHeaderType, internal::kHeaderSchema);
  w.AddOffset(internal::kMessageHeader);
  w.PatchOffset(root, w.EndTable());
  const int64_t header_slot = w.SlotOf(internal::kMessageHeader);
  w.StartTable();
  w.AddOffset(internal::kSchemaFields);
  w.PatchOffset(header_slot, w.EndTable());
  const int64_t fields_slot = w.SlotOf(internal::kSchemaFields);
  const int64_t fields = w.WriteOffsetVector(1);
  w.PatchOffset(fields_slot, fields);
  w.StartTable();
  w.AddOffset(internal::kFieldName);
  w.AddScalar<uint8_t>(internal::kFieldTypeType, internal::kFbFloatingPoint);
  w.AddOffset(internal::kFieldType);
  w.PatchOffset(fields + 4, w.EndTable());
  const int64_t name_slot = w.SlotOf(internal::kFieldName);
  const int64_t type_slot = w.SlotOf(internal::kFieldType);
  w.PatchOffset(name_slot, w.WriteString("half"));
  w.StartTable();
  w.PatchOffset(type_slot, w.EndTable());
  std::vector<uint8_t> bytes;
  AppendMessage(w, {}, &bytes);
  EXPECT_INVALID(ReadAll(bytes), "field 'half': unsupported Arrow type float16");
}

// Flip bytes of a valid stream; whatever is accepted must be safe to read entirely.
TEST(ValidationTest, MutationsNeverReadOutOfBounds) {
  const int64_t rows[] = {3, 0};
  std::vector<uint8_t> good = ToVector(testing::AllTypesStream(rows));
  int accepted = 0;
  const uint8_t flips[3] = {0x01, 0x80, 0xFF};
  for (std::size_t i = 0; i < good.size(); i += 3) {
    {
      const uint8_t flip = flips[(i / 3) % 3];
      std::vector<uint8_t> bad = good;
      bad[i] = static_cast<uint8_t>(bad[i] ^ flip);
      (void)InspectStream(bad);
      auto r = ReadStream(bad);
      if (!r.ok()) {
        ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
        continue;
      }
      ++accepted;
      for (const RecordBatch& b : r->batches) (void)testing::BatchCells(b);
    }
  }
  EXPECT_GT(accepted, 0);  // flips inside value buffers are legitimately accepted
}

}  // namespace
}  // namespace rapidbyte::arrow::ipc
