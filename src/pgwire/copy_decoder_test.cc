// COPY binary decoder on hand-made bytes: every type with NULLs and special values, chunk
// boundaries at every offset, atomic rows with data errors, batching, hostile lengths.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/copy_test_util.h"

namespace rapidbyte::pgwire {
namespace {

using namespace testing;  // NOLINT(build/namespaces)

PgColumn Col(std::string name, std::uint32_t type, std::int32_t typmod = -1, bool not_null = false,
             std::uint32_t elem = 0) {
  PgColumn c;
  c.name = std::move(name);
  c.type_oid = c.base_oid = type;
  c.typmod = typmod;
  c.format_type = "t";
  c.not_null = not_null;
  c.elem_oid = elem;
  c.typcategory = elem != 0 ? 'A' : 'N';
  return c;
}

constexpr std::int32_t kNumeric12_4 = ((12 << 16) | 4) + 4;

// One column per binary codec plus two arrays; the targets for re-encoding.
std::vector<PgColumn> AllColumns() {
  return {Col("i2", oid::kInt2),         Col("i4", oid::kInt4, -1, true),
          Col("i8", oid::kInt8),         Col("f4", oid::kFloat4),
          Col("f8", oid::kFloat8),       Col("dec", oid::kNumeric, kNumeric12_4),
          Col("num", oid::kNumeric),     Col("b", oid::kBool),
          Col("t", oid::kText),          Col("by", oid::kBytea),
          Col("d", oid::kDate),          Col("tm", oid::kTime),
          Col("ts", oid::kTimestamp),    Col("tz", oid::kTimestamptz),
          Col("iv", oid::kInterval),     Col("u", oid::kUuid),
          Col("jb", oid::kJsonb),        Col("ai", 1007, -1, false, oid::kInt4),
          Col("at", 1009, -1, false, oid::kText)};
}

std::vector<TargetColumn> Targets(const std::vector<PgColumn>& columns) {
  std::vector<TargetColumn> out;
  for (const PgColumn& c : columns) out.push_back({c.type_oid, c.elem_oid, {}});
  return out;
}

const std::string kUuid = "\x12\x34\x56\x78\x9a\xbc\xde\xf0\x01\x02\x03\x04\x05\x06\x07\x08";

Fields Row1() {
  return {I16(-2), I32(7), I64(std::numeric_limits<std::int64_t>::min() + 1), F32(-0.0f),
          F64(1.5), Numeric(0, 0x4000, 4, {12, 3400}), Numeric(0, 0, 2, {12, 5000}),
          std::string(1, '\1'), std::string("h\xc3\xa9llo \xe2\x82\xac"),
          std::string("\0\1\0", 3), I32(-10957), I64(3600000000LL), I64(0), I64(-1),
          I64(1500000) + I32(2) + I32(14), kUuid, std::string("\1{\"a\": 1}"),
          Array1(oid::kInt4, {I32(1), std::nullopt, I32(3)}),
          Array1(oid::kText, {std::string(""), std::string("x")})};
}
Fields NullRow() {
  Fields f(19, std::nullopt);
  f[1] = I32(0);  // i4 is NOT NULL
  return f;
}
Fields SpecialRow() {
  return {I16(32767), I32(-2147483647 - 1), I64(0), F32(std::numeric_limits<float>::quiet_NaN()),
          F64(-std::numeric_limits<double>::infinity()), Numeric(0, 0, 4, {}),
          Numeric(0, 0xC000, 0, {}), std::string(1, '\0'), std::string(), std::string(),
          I32(std::numeric_limits<std::int32_t>::max()),
          I64(0), I64(std::numeric_limits<std::int64_t>::max()),
          I64(std::numeric_limits<std::int64_t>::min()), I64(0) + I32(0) + I32(0),
          std::string(16, '\0'), std::string("\1null"), Array1(oid::kInt4, {}),
          Array1(oid::kText, {std::nullopt})};
}

std::string Stream(const std::vector<Fields>& rows) {
  std::string s = Header();
  for (const Fields& r : rows) s += Tuple(r);
  return s + Trailer();
}

struct Harness {
  std::vector<PgColumn> columns = AllColumns();
  RelationPlan plan;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  std::unique_ptr<CopyBinaryDecoder> decoder;

  Status Init(CopyDecoderOptions options = {}) {
    RB_ASSIGN_OR_RETURN(plan, MapRelation("public", "t", columns, {"i4"}));
    RB_ASSIGN_OR_RETURN(builder, arrow::RecordBatchBuilder::Make(plan.schema));
    RB_ASSIGN_OR_RETURN(decoder, CopyBinaryDecoder::Make(plan.codecs, builder.get(), options));
    return Status::OK();
  }
  // Re-encode everything decoded so far as a complete COPY stream.
  Result<std::string> Reencode() {
    RB_ASSIGN_OR_RETURN(arrow::RecordBatch batch, builder->Finish());
    RB_ASSIGN_OR_RETURN(CopyBinaryEncoder encoder,
                        CopyBinaryEncoder::Make(*plan.schema, Targets(columns)));
    arrow::ByteBuffer out;
    RB_RETURN_NOT_OK(CopyBinaryEncoder::AppendHeader(&out));
    RB_RETURN_NOT_OK(encoder.EncodeBatch(batch, &out));
    RB_RETURN_NOT_OK(CopyBinaryEncoder::AppendTrailer(&out));
    return std::string(reinterpret_cast<const char*>(out.data()),
                       static_cast<std::size_t>(out.size()));
  }
};

TEST(CopyDecoderTest, DecodesEveryTypeWithNullsAndSpecialValues) {
  Harness h;
  ASSERT_OK(h.Init());
  ASSERT_OK(DecodeAll(h.decoder.get(), Stream({Row1(), NullRow(), SpecialRow()})));
  EXPECT_TRUE(h.decoder->finished());
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, h.builder->Finish());
  ASSERT_EQ(batch.num_rows(), 3);
  EXPECT_EQ(arrow::Int16Array(batch.column(0)).Value(0), -2);
  EXPECT_TRUE(std::signbit(arrow::Float32Array(batch.column(3)).Value(0)));
  EXPECT_TRUE(std::isnan(arrow::Float32Array(batch.column(3)).Value(2)));
  EXPECT_EQ(arrow::Decimal128Array(batch.column(5)).Value(0), arrow::Decimal128::FromInt64(-123400));
  EXPECT_EQ(arrow::StringArray(batch.column(6)).GetView(0), "12.50");
  EXPECT_EQ(arrow::StringArray(batch.column(6)).GetView(2), "NaN");
  EXPECT_EQ(arrow::StringArray(batch.column(8)).GetView(0), "h\xc3\xa9llo \xe2\x82\xac");
  EXPECT_EQ(arrow::StringArray(batch.column(8)).GetView(2), "");
  EXPECT_FALSE(batch.column(8).IsNull(2));
  EXPECT_TRUE(batch.column(8).IsNull(1));
  EXPECT_EQ(arrow::BinaryArray(batch.column(9)).GetView(0), std::string_view("\0\1\0", 3));
  EXPECT_EQ(arrow::Date32Array(batch.column(10)).Value(0), 0);  // 1970-01-01
  EXPECT_EQ(arrow::Date32Array(batch.column(10)).Value(2), std::numeric_limits<std::int32_t>::max());
  EXPECT_EQ(arrow::TimestampArray(batch.column(12)).Value(0), 946684800000000);
  EXPECT_EQ(arrow::TimestampArray(batch.column(12)).Value(2), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(arrow::TimestampArray(batch.column(13)).Value(2), std::numeric_limits<std::int64_t>::min());
  const arrow::MonthDayNano iv = arrow::IntervalArray(batch.column(14)).Value(0);
  EXPECT_EQ(iv.months, 14);
  EXPECT_EQ(iv.days, 2);
  EXPECT_EQ(iv.nanoseconds, 1500000000);
  EXPECT_EQ(arrow::FixedSizeBinaryArray(batch.column(15)).GetView(0), kUuid);
  EXPECT_EQ(arrow::StringArray(batch.column(16)).GetView(0), "{\"a\": 1}");
  const arrow::ListArray ai(batch.column(17));
  EXPECT_EQ(ai.value_length(0), 3);
  EXPECT_TRUE(ai.values().IsNull(1));
  EXPECT_EQ(ai.value_length(2), 0);
  EXPECT_FALSE(ai.IsNull(2));
  EXPECT_TRUE(ai.IsNull(1));
  const arrow::ListArray at(batch.column(18));
  EXPECT_EQ(at.value_length(2), 1);
  EXPECT_TRUE(at.values().IsNull(at.value_offset(2)));
}

TEST(CopyDecoderTest, ReencodingReproducesTheStreamByteForByte) {
  Harness h;
  ASSERT_OK(h.Init());
  const std::string stream = Stream({Row1(), NullRow(), SpecialRow()});
  ASSERT_OK(DecodeAll(h.decoder.get(), stream));
  ASSERT_OK_AND_ASSIGN(std::string again, h.Reencode());
  EXPECT_EQ(again, stream);
}

TEST(CopyDecoderTest, ChunkBoundariesAtEveryOffset) {
  const std::string stream = Stream({Row1(), NullRow(), SpecialRow()});
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    Harness h;
    ASSERT_OK(h.Init());
    std::vector<std::string> chunks = {stream.substr(0, split), stream.substr(split)};
    std::size_t next = 0;
    bool done = false;
    while (!done) {
      ASSERT_OK_AND_ASSIGN(CopyEvent event, h.decoder->Peek());
      if (event == CopyEvent::kRow) ASSERT_OK(h.decoder->Append());
      if (event == CopyEvent::kNeedMore) {
        ASSERT_LT(next, chunks.size()) << "split " << split;
        ASSERT_OK(h.decoder->Feed(AsBytes(chunks[next++])));
      }
      done = event == CopyEvent::kEnd;
    }
    ASSERT_OK_AND_ASSIGN(std::string again, h.Reencode());
    ASSERT_EQ(again, stream) << "split " << split;
  }
  for (std::size_t chunk : {1, 2, 3, 7, 64}) {
    Harness h;
    ASSERT_OK(h.Init());
    ASSERT_OK(DecodeAll(h.decoder.get(), stream, chunk));
    ASSERT_OK_AND_ASSIGN(std::string again, h.Reencode());
    EXPECT_EQ(again, stream) << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace rapidbyte::pgwire
