// COPY binary decoder on hand-made bytes: every type with NULLs and special values, chunk
// boundaries at every offset, atomic rows with data errors, batching, hostile lengths.
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"
#include "base/utf8.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/copy_test_util.h"
#include "pgwire/numeric.h"

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

// A decoder for one column.
struct OneColumn {
  RelationPlan plan;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  std::unique_ptr<CopyBinaryDecoder> decoder;

  Status Init(const PgColumn& column) {
    RB_ASSIGN_OR_RETURN(plan, MapRelation("public", "t", {column}, {}));
    RB_ASSIGN_OR_RETURN(builder, arrow::RecordBatchBuilder::Make(plan.schema));
    RB_ASSIGN_OR_RETURN(decoder, CopyBinaryDecoder::Make(plan.codecs, builder.get()));
    return Status::OK();
  }
};

// Text is validated 8 bytes at a time while it is ASCII: the answer must not depend on where
// a multi-byte or an invalid sequence falls relative to those words, or on the length.
TEST(CopyDecoderTest, TextValidationAgreesWithTheUtf8ValidatorAtEveryOffset) {
  const std::vector<std::string> inserts = {
      "\xc3\xa9",          // é
      "\xe2\x82\xac",      // €
      "\xf0\x9f\x98\x80",  // U+1F600
      "\xff",              // never valid
      "\x80",              // a lone continuation byte
      "\xc3",              // truncated at the end of the value when last
      "\xc0\x80",          // overlong NUL
      "\xed\xa0\x80",      // surrogate
      "\xf4\x90\x80\x80",  // above U+10FFFF
      std::string(1, '\0'),
      "\x7f"};
  std::vector<std::string> values;
  for (std::size_t len = 0; len <= 40; ++len) values.push_back(std::string(len, 'a'));
  for (const std::string& insert : inserts) {
    for (std::size_t before = 0; before <= 24; ++before) {
      for (std::size_t after : {0, 1, 7, 8, 9, 17}) {
        values.push_back(std::string(before, 'x') + insert + std::string(after, 'y'));
      }
    }
  }
  values.push_back(std::string(20, 'a') + "\xc3\xa9" + std::string(20, 'b') + "\xff");
  values.push_back(std::string(20, 'a') + "\xc3\xa9" + std::string(20, 'b') + "\xe2\x82\xac");
  for (const std::string& value : values) {
    OneColumn t;
    ASSERT_OK(t.Init(Col("t", oid::kText)));
    const std::string stream = Header() + Tuple({value}) + Trailer();
    ASSERT_OK(t.decoder->Feed(AsBytes(stream)));
    ASSERT_OK_AND_ASSIGN(CopyEvent event, t.decoder->Peek());
    ASSERT_EQ(event, CopyEvent::kRow);
    Status st = t.decoder->Append();
    if (IsValidUtf8(value)) {
      ASSERT_OK(st);
      ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, t.builder->Finish());
      EXPECT_EQ(arrow::StringArray(batch.column(0)).GetView(0), value);
    } else {
      EXPECT_EQ(st.code(), StatusCode::kDataLoss) << ::testing::PrintToString(value);
      EXPECT_NE(st.message().find("not valid UTF-8"), std::string::npos) << st.ToString();
    }
  }
}

// numeric -> decimal128 has a 64-bit fast path: every value must come out as the general
// conversion (ParseNumeric + NumericToDecimal128) has it, errors included.
TEST(CopyDecoderTest, DecimalFastPathAgreesWithTheGeneralConversion) {
  std::mt19937 rng(7);
  std::vector<std::string> values = {Numeric(0, 0, 0, {}),
                                     Numeric(0, 0x4000, 0, {}),
                                     Numeric(0, 0xC000, 0, {}),
                                     Numeric(0, 0xD000, 0, {}),
                                     Numeric(0, 0, 4, {1, 5000}),
                                     Numeric(-1, 0, 4, {1234}),
                                     Numeric(-1, 0, 5, {1234, 5000}),
                                     Numeric(-2, 0, 8, {1}),
                                     Numeric(1, 0x4000, 0, {9999, 9999}),
                                     Numeric(4, 0, 0, {1}),
                                     Numeric(0, 0, 0, {10000}),
                                     Numeric(0, 0x1234, 0, {1}),
                                     Numeric(0, 0, 0x4000, {1}),
                                     std::string("\0\1", 2)};
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::uint16_t> digits(rng() % 7);
    for (std::uint16_t& d : digits)
      d = static_cast<std::uint16_t>(rng() % 3 == 0 ? 0 : rng() % 10000);
    const auto weight = static_cast<std::int16_t>(static_cast<int>(rng() % 9) - 4);
    values.push_back(Numeric(weight, rng() % 2 == 0 ? 0 : 0x4000,
                             static_cast<std::uint16_t>(rng() % 12), digits));
  }
  for (const auto& [precision, scale] : {std::pair{12, 4}, std::pair{18, 0}, std::pair{18, 18},
                                        std::pair{1, 0}, std::pair{5, 5}, std::pair{20, 4},
                                        std::pair{38, 10}}) {
    PgColumn column = Col("d", oid::kNumeric, ((precision << 16) | scale) + 4);
    for (const std::string& value : values) {
      OneColumn t;
      ASSERT_OK(t.Init(column));
      ASSERT_EQ(t.plan.codecs[0].codec, ValueCodec::kNumericDecimal);
      const std::string stream = Header() + Tuple({value}) + Trailer();
      ASSERT_OK(t.decoder->Feed(AsBytes(stream)));
      NumericView n;
      arrow::Decimal128 expected;
      Status want = ParseNumeric(AsBytes(value), &n);
      if (want.ok()) want = NumericToDecimal128(n, precision, scale, &expected);
      Result<CopyEvent> event = t.decoder->Peek();
      const std::string where = "numeric(" + std::to_string(precision) + "," +
                                std::to_string(scale) + ") " + ::testing::PrintToString(value);
      if (want.code() == StatusCode::kDataLoss) {
        EXPECT_EQ(event.status().code(), StatusCode::kDataLoss) << where;
        continue;
      }
      ASSERT_OK(event.status());
      if (!want.ok()) {
        EXPECT_EQ(*event, CopyEvent::kDataError) << where;
        EXPECT_EQ(t.decoder->row().error, "column d: " + want.message()) << where;
        continue;
      }
      ASSERT_EQ(*event, CopyEvent::kRow) << where;
      ASSERT_OK(t.decoder->Append());
      ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, t.builder->Finish());
      EXPECT_EQ(arrow::Decimal128Array(batch.column(0)).Value(0), expected) << where;
    }
  }
}

// A tuple split across chunks is completed from the next chunk a piece at a time: long
// values, at every chunk size around the piece sizes.
TEST(CopyDecoderTest, LongTuplesSplitAcrossChunks) {
  Fields long_row = Row1();
  long_row[8] = std::string(5000, 'q') + "\xc3\xa9";
  long_row[9] = std::string(3000, '\7');
  long_row[18] = Array1(oid::kText, {std::string(700, 'z'), std::nullopt, std::string(300, 'w')});
  const std::string stream = Stream({Row1(), long_row, NullRow(), long_row, SpecialRow()});
  for (std::size_t chunk : {1, 5, 100, 255, 256, 257, 511, 1000, 4096, 5003, 70000}) {
    Harness h;
    ASSERT_OK(h.Init());
    ASSERT_OK(DecodeAll(h.decoder.get(), stream, chunk));
    ASSERT_OK_AND_ASSIGN(std::string again, h.Reencode());
    EXPECT_EQ(again, stream) << "chunk " << chunk;
  }
}

// FillBatch bounds BufferBytes() between exact computations: its batches must be those of
// the exact test, whatever the byte cap (NULLs make validity bitmaps appear mid-batch).
TEST(CopyDecoderTest, FillBatchByteCapMatchesTheExactTest) {
  std::vector<Fields> rows;
  for (int i = 0; i < 60; ++i)
    rows.push_back(i % 7 == 3 ? NullRow() : i % 5 == 1 ? SpecialRow() : Row1());
  const std::string stream = Stream(rows);
  for (std::int64_t max_bytes : {1, 200, 1000, 1500, 2047, 4096, 5000, 9999, 1 << 20}) {
    // Reference: the exact test before every row.
    Harness ref;
    ASSERT_OK(ref.Init());
    ASSERT_OK(ref.decoder->Feed(AsBytes(stream)));
    std::vector<std::int64_t> want;
    while (true) {
      ASSERT_OK_AND_ASSIGN(CopyEvent event, ref.decoder->Peek());
      if (event == CopyEvent::kEnd) break;
      ASSERT_EQ(event, CopyEvent::kRow);
      const std::int64_t n = ref.builder->num_rows();
      if (n > 0 && ref.builder->BufferBytes() + ref.decoder->row().arrow_bytes > max_bytes) {
        want.push_back(n);
        ref.builder->Reset();
      }
      ASSERT_OK(ref.decoder->Append());
    }
    want.push_back(ref.builder->num_rows());
    for (std::size_t chunk : {std::size_t{0}, std::size_t{97}}) {
      Harness h;
      ASSERT_OK(h.Init());
      std::vector<std::int64_t> got;
      std::size_t pos = 0;
      while (true) {
        ASSERT_OK_AND_ASSIGN(FillStop stop,
                             FillBatch(h.decoder.get(), h.builder.get(), 1000, max_bytes));
        if (stop == FillStop::kEnd) break;
        if (stop == FillStop::kBatchFull) {
          got.push_back(h.builder->num_rows());
          ASSERT_OK(h.builder->Finish().status());
          h.builder->Reset();
          continue;
        }
        ASSERT_EQ(stop, FillStop::kNeedMore);
        const std::size_t n = chunk == 0 ? stream.size() : std::min(chunk, stream.size() - pos);
        ASSERT_OK(h.decoder->Feed(AsBytes(stream).subspan(pos, n)));
        pos += n;
      }
      got.push_back(h.builder->num_rows());
      EXPECT_EQ(got, want) << "max_bytes " << max_bytes << ", chunk " << chunk;
    }
  }
}

}  // namespace
}  // namespace rapidbyte::pgwire
