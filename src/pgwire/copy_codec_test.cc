// COPY codecs: data errors leave no half rows, batching limits, hostile framing, and the
// encoder's Arrow-only mappings (SPEC §9.2) and text-format escaping.
#include <limits>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "base/test_util.h"
#include "pgwire/copy_decoder.h"
#include "pgwire/copy_encoder.h"
#include "pgwire/copy_test_util.h"
#include "pgwire/copy_text.h"

namespace rapidbyte::pgwire {
namespace {

using namespace testing;  // NOLINT(build/namespaces)

struct Small {
  std::shared_ptr<const arrow::Schema> schema;
  std::unique_ptr<arrow::RecordBatchBuilder> builder;
  std::unique_ptr<CopyBinaryDecoder> decoder;
};

// Columns: id int8, dec numeric(5,2), arr int4[].
Result<Small> MakeSmall(CopyDecoderOptions options = {}) {
  std::vector<PgColumn> cols(3);
  cols[0].name = "id";
  cols[0].type_oid = cols[0].base_oid = oid::kInt8;
  cols[1].name = "dec";
  cols[1].type_oid = cols[1].base_oid = oid::kNumeric;
  cols[1].typmod = ((5 << 16) | 2) + 4;
  cols[2].name = "arr";
  cols[2].type_oid = cols[2].base_oid = 1007;
  cols[2].typcategory = 'A';
  cols[2].elem_oid = oid::kInt4;
  Small s;
  RB_ASSIGN_OR_RETURN(RelationPlan plan, MapRelation("s", "t", cols, {}));
  s.schema = plan.schema;
  RB_ASSIGN_OR_RETURN(s.builder, arrow::RecordBatchBuilder::Make(plan.schema));
  RB_ASSIGN_OR_RETURN(s.decoder, CopyBinaryDecoder::Make(plan.codecs, s.builder.get(), options));
  return s;
}

Fields Good(std::int64_t id) {
  return {I64(id), Numeric(0, 0, 2, {1, 2500}), Array1(oid::kInt4, {I32(id)})};
}

TEST(CopyCodecTest, DataErrorsSkipWholeRows) {
  ASSERT_OK_AND_ASSIGN(Small s, MakeSmall());
  const std::string two_dim = I32(2) + I32(0) + I32(oid::kInt4) + I32(1) + I32(1) + I32(1) +
                              I32(1) + I32(4) + I32(5);
  const std::string stream =
      Header() + Tuple(Good(1)) + Tuple({I64(2), Numeric(0, 0xC000, 0, {}), std::nullopt}) +
      Tuple({I64(3), Numeric(1, 0, 0, {10, 0}), std::nullopt}) +  // 100000 > numeric(5,2)
      Tuple({I64(4), Numeric(0, 0, 3, {1, 2510}), std::nullopt}) +  // 1.251: scale 2
      Tuple({I64(5), std::nullopt, two_dim}) +
      Tuple({I64(6), std::nullopt, Array1(oid::kInt4, {I32(1)}, 0)}) + Tuple(Good(7)) +
      Trailer();
  ASSERT_OK(s.decoder->Feed(AsBytes(stream)));
  std::vector<std::string> errors;
  while (true) {
    ASSERT_OK_AND_ASSIGN(CopyEvent e, s.decoder->Peek());
    if (e == CopyEvent::kEnd) break;
    if (e == CopyEvent::kDataError) {
      errors.push_back(s.decoder->row().error);
      s.decoder->Skip();
    } else {
      ASSERT_EQ(e, CopyEvent::kRow);
      ASSERT_OK(s.decoder->Append());
    }
  }
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_NE(errors[0].find("dec"), std::string::npos);
  EXPECT_NE(errors[0].find("NaN"), std::string::npos);
  EXPECT_NE(errors[3].find("2 dimensions"), std::string::npos);
  EXPECT_NE(errors[4].find("lower bound 0"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, s.builder->Finish());
  ASSERT_EQ(batch.num_rows(), 2);
  EXPECT_EQ(arrow::Int64Array(batch.column(0)).Value(1), 7);
  EXPECT_EQ(arrow::Decimal128Array(batch.column(1)).Value(1), arrow::Decimal128::FromInt64(125));
  EXPECT_EQ(s.decoder->rows_skipped(), 5);
}

// PostgreSQL timestamps run to year 294276, Arrow's µs since 1970 to 294247: a later value
// fails its row (on_data_error decides), the stream goes on; ±infinity stay representable.
TEST(CopyCodecTest, TimestampBeyondArrowRangeIsADataErrorOfItsRow) {
  std::vector<PgColumn> cols(2);
  cols[0].name = "id";
  cols[0].type_oid = cols[0].base_oid = oid::kInt8;
  cols[1].name = "ts";
  cols[1].type_oid = cols[1].base_oid = oid::kTimestamp;
  ASSERT_OK_AND_ASSIGN(RelationPlan plan, MapRelation("s", "t", cols, {}));
  ASSERT_OK_AND_ASSIGN(auto builder, arrow::RecordBatchBuilder::Make(plan.schema));
  ASSERT_OK_AND_ASSIGN(auto decoder, CopyBinaryDecoder::Make(plan.codecs, builder.get(), {}));
  // The last µs since 2000 below +infinity's INT64 MAX once shifted to 1970.
  const std::int64_t last = std::numeric_limits<std::int64_t>::max() - 946684800000000 - 1;
  const std::string stream = Header() + Tuple({I64(1), I64(last)}) + Tuple({I64(2), I64(last + 1)}) +
                             Tuple({I64(3), I64(std::numeric_limits<std::int64_t>::max())}) + Trailer();
  ASSERT_OK(decoder->Feed(AsBytes(stream)));
  std::vector<std::string> errors;
  while (true) {
    ASSERT_OK_AND_ASSIGN(CopyEvent e, decoder->Peek());
    if (e == CopyEvent::kEnd) break;
    if (e == CopyEvent::kDataError) {
      errors.push_back(decoder->row().error);
      decoder->Skip();
    } else {
      ASSERT_OK(decoder->Append());
    }
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("column ts: timestamp after year 294247"), std::string::npos) << errors[0];
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, builder->Finish());
  ASSERT_EQ(batch.num_rows(), 2);
  EXPECT_EQ(arrow::Int64Array(batch.column(0)).Value(1), 3);
  EXPECT_EQ(arrow::TimestampArray(batch.column(1)).Value(0), std::numeric_limits<std::int64_t>::max() - 1);
  EXPECT_EQ(arrow::TimestampArray(batch.column(1)).Value(1), std::numeric_limits<std::int64_t>::max());
}

TEST(CopyCodecTest, FillBatchStopsBeforeTheRowThatWouldNotFit) {
  ASSERT_OK_AND_ASSIGN(Small s, MakeSmall());
  std::string stream = Header();
  for (int i = 0; i < 10; ++i) stream += Tuple(Good(i));
  stream += Trailer();
  ASSERT_OK(s.decoder->Feed(AsBytes(stream)));
  ASSERT_OK_AND_ASSIGN(FillStop stop, FillBatch(s.decoder.get(), s.builder.get(), 4, 1 << 20));
  EXPECT_EQ(stop, FillStop::kBatchFull);
  EXPECT_EQ(s.builder->num_rows(), 4);
  EXPECT_EQ(s.decoder->row().arrow_bytes, 8 + 16 + 4 + 4);
  s.builder->Reset();
  // Byte cap: an empty batch always takes one row.
  ASSERT_OK_AND_ASSIGN(stop, FillBatch(s.decoder.get(), s.builder.get(), 100, 1));
  EXPECT_EQ(stop, FillStop::kBatchFull);
  EXPECT_EQ(s.builder->num_rows(), 1);
  s.builder->Reset();
  ASSERT_OK_AND_ASSIGN(stop, FillBatch(s.decoder.get(), s.builder.get(), 100, 1 << 20));
  EXPECT_EQ(stop, FillStop::kEnd);
  EXPECT_EQ(s.builder->num_rows(), 5);
}

void ExpectProtocolError(const std::string& stream, CopyDecoderOptions options = {}) {
  ASSERT_OK_AND_ASSIGN(Small s, MakeSmall(options));
  Status st = DecodeAll(s.decoder.get(), stream);
  EXPECT_EQ(st.code(), StatusCode::kDataLoss) << st.ToString();
}

TEST(CopyCodecTest, HostileStreamsAreProtocolErrors) {
  ExpectProtocolError("PGCOPY\n\377\r\n\1" + I32(0) + I32(0) + Trailer());
  ExpectProtocolError(Header().substr(0, 11) + I32(1 << 16) + I32(0) + Trailer());  // OIDs
  ExpectProtocolError(Header().substr(0, 15) + I32(0x7FFFFFFF) + Trailer());
  ExpectProtocolError(Header() + I16(2) + I32(8) + I64(1) + I32(-1) + Trailer());
  ExpectProtocolError(Header() + I16(3) + I32(4) + I32(1) + I32(-1) + I32(-1) + Trailer());
  ExpectProtocolError(Header() + I16(3) + I32(-2) + Trailer());
  ExpectProtocolError(Header() + I16(3) + I32(0x7FFFFFFF) + std::string(64, 'x'),
                      CopyDecoderOptions{32, 1 << 20});
  ExpectProtocolError(Header() + Trailer() + "x");
  ExpectProtocolError(Header() + Tuple({I64(1), Numeric(0, 0, 2, {10000}), std::nullopt}) +
                      Trailer());
  ExpectProtocolError(Header() + Tuple({I64(1), std::nullopt, I32(1) + I32(0) + I32(23) +
                                        I32(0x7FFFFFFF) + I32(1)}) +
                      Trailer());
  ExpectProtocolError(Header() + Tuple({I64(1), std::nullopt,
                                        Array1(oid::kInt4, {I64(1)})}) + Trailer());
  // Cut short: no trailer.
  ASSERT_OK_AND_ASSIGN(Small s, MakeSmall());
  EXPECT_EQ(DecodeAll(s.decoder.get(), Header() + Tuple(Good(1))).code(), StatusCode::kDataLoss);
  EXPECT_FALSE(s.decoder->finished());
}

TEST(CopyCodecTest, EncoderMapsArrowOnlyTypes) {
  auto schema = std::make_shared<const arrow::Schema>(std::vector<arrow::Field>{
      arrow::Field("u", arrow::DataType::UInt64()),
      arrow::Field("ns", arrow::DataType::Timestamp(arrow::TimeUnit::kNano, "UTC")),
      arrow::Field("s", arrow::DataType::Timestamp(arrow::TimeUnit::kSecond)),
      arrow::Field("t", arrow::DataType::Time64(arrow::TimeUnit::kNano)),
      arrow::Field("l", arrow::DataType::LargeUtf8()),
      arrow::Field("i", arrow::DataType::Int64())});
  ASSERT_OK_AND_ASSIGN(auto b, arrow::RecordBatchBuilder::Make(schema));
  ASSERT_OK(b->column_as<arrow::UInt64Builder>(0)->Append(18446744073709551615ULL));
  ASSERT_OK(b->column_as<arrow::Int64Builder>(1)->Append(-1));  // 1969-12-31 23:59:59.999999999
  ASSERT_OK(b->column_as<arrow::Int64Builder>(2)->Append(std::numeric_limits<std::int64_t>::max()));
  ASSERT_OK(b->column_as<arrow::Int64Builder>(3)->Append(1999));
  ASSERT_OK(b->column_as<arrow::LargeStringBuilder>(4)->Append("x"));
  ASSERT_OK(b->column_as<arrow::Int64Builder>(5)->Append(70000));
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, b->Finish());
  const std::vector<TargetColumn> targets = {{oid::kNumeric, 0, {}}, {oid::kTimestamptz, 0, {}},
                                             {oid::kTimestamp, 0, {}}, {oid::kTime, 0, {}},
                                             {oid::kVarchar, 0, {}}, {oid::kInt2, 0, {}}};
  ASSERT_OK_AND_ASSIGN(CopyBinaryEncoder enc, CopyBinaryEncoder::Make(*schema, targets));
  arrow::ByteBuffer out;
  std::vector<RowError> rejected;
  ASSERT_OK(enc.EncodeBatch(batch, &out, &rejected));
  ASSERT_EQ(rejected.size(), 1u);  // 70000 does not fit smallint
  EXPECT_EQ(out.size(), 0);
  EXPECT_NE(rejected[0].status.message().find("column i"), std::string::npos);
  const std::vector<TargetColumn> ok_targets = {{oid::kNumeric, 0, {}}, {oid::kTimestamptz, 0, {}},
                                                {oid::kTimestamp, 0, {}}, {oid::kTime, 0, {}},
                                                {oid::kText, 0, {}}, {oid::kInt8, 0, {}}};
  ASSERT_OK_AND_ASSIGN(enc, CopyBinaryEncoder::Make(*schema, ok_targets));
  ASSERT_OK(enc.EncodeRow(batch, 0, &out));
  const std::string got(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(out.size()));
  const std::string want =
      I16(6) + I32(8 + 10) + Numeric(4, 0, 0, {1844, 6744, 737, 955, 1615}) + I32(8) +
      I64(-1 - 946684800000000) + I32(8) + I64(std::numeric_limits<std::int64_t>::max()) +
      I32(8) + I64(1) + I32(1) + "x" + I32(8) + I64(70000);
  EXPECT_EQ(got, want);
  // utf8 into inet needs the text format; float into bytea is unsupported.
  EXPECT_TRUE(RequiresTextFormat(arrow::DataType::Utf8(), TargetColumn{869, 0, "inet"}));
  EXPECT_FALSE(RequiresTextFormat(arrow::DataType::Utf8(), TargetColumn{oid::kNumeric, 0, {}}));
  EXPECT_EQ(CopyBinaryEncoder::Make(*schema, {{869, 0, {}}, {}, {}, {}, {}, {}}).status().code(),
            StatusCode::kInvalidArgument);
}

// Text and jsonb values are searched for NUL a word at a time and copied without memcpy when
// short: a NUL anywhere rejects its row, every other value is written byte for byte.
TEST(CopyCodecTest, EncoderFindsNulAtEveryOffsetAndCopiesEveryLength) {
  auto schema = std::make_shared<const arrow::Schema>(std::vector<arrow::Field>{
      arrow::Field("t", arrow::DataType::Utf8()), arrow::Field("j", arrow::DataType::Utf8())});
  ASSERT_OK_AND_ASSIGN(auto b, arrow::RecordBatchBuilder::Make(schema));
  std::vector<std::string> values;
  std::vector<bool> has_nul;
  for (std::size_t len = 0; len <= 80; ++len) {
    std::string v;
    for (std::size_t k = 0; k < len; ++k) v += static_cast<char>('a' + k % 26);
    values.push_back(v);
    has_nul.push_back(false);
    for (std::size_t at = 0; at < len; ++at) {
      std::string with_nul = v;
      with_nul[at] = '\0';
      values.push_back(with_nul);
      has_nul.push_back(true);
    }
  }
  for (const std::string& v : values) {
    ASSERT_OK(b->column_as<arrow::StringBuilder>(0)->Append(v));
    ASSERT_OK(b->column_as<arrow::StringBuilder>(1)->Append(v));
  }
  ASSERT_OK_AND_ASSIGN(arrow::RecordBatch batch, b->Finish());
  const std::vector<TargetColumn> targets = {{oid::kText, 0, {}}, {oid::kJsonb, 0, {}}};
  ASSERT_OK_AND_ASSIGN(CopyBinaryEncoder enc, CopyBinaryEncoder::Make(*schema, targets));
  arrow::ByteBuffer out;
  std::vector<RowError> rejected;
  ASSERT_OK(enc.EncodeBatch(batch, &out, &rejected));
  std::string want;
  std::vector<std::int64_t> want_rejected;
  for (std::size_t r = 0; r < values.size(); ++r) {
    if (has_nul[r]) {
      want_rejected.push_back(static_cast<std::int64_t>(r));
      continue;
    }
    const auto n = static_cast<std::int64_t>(values[r].size());
    want += I16(2) + I32(n) + values[r] + I32(n + 1) + "\1" + values[r];
  }
  std::vector<std::int64_t> got_rejected;
  for (const RowError& e : rejected) {
    got_rejected.push_back(e.row);
    EXPECT_NE(e.status.message().find("text contains a NUL byte"), std::string::npos);
  }
  EXPECT_EQ(got_rejected, want_rejected);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(out.data()),
                        static_cast<std::size_t>(out.size())),
            want);
}

TEST(CopyCodecTest, TextFormatEscaping) {
  arrow::ByteBuffer out;
  ASSERT_OK(AppendCopyTextEscaped("a\tb\nc\\d\re\bf\fg\vh \xe2\x82\xac\\N", &out));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(out.size())),
            "a\\tb\\nc\\\\d\\re\\bf\\fg\\vh \xe2\x82\xac\\\\N");
  EXPECT_EQ(AppendCopyTextEscaped(std::string("a\0b", 3), &out).code(), StatusCode::kInvalidArgument);
  out.Clear();
  ASSERT_OK(AppendCopyTextEscaped("", &out));
  EXPECT_EQ(out.size(), 0);
}

}  // namespace
}  // namespace rapidbyte::pgwire
