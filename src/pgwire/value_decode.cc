// Scalar decode functions (network byte order -> Arrow values) and the per-codec table.
#include <cstring>
#include <limits>

#include "arrow/builder_binary.h"
#include "arrow/builder_primitive.h"
#include "base/utf8.h"
#include "pgwire/numeric.h"
#include "pgwire/value_decode_internal.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire::decode_internal {
namespace {

using arrow::ArrayBuilder;
using U8 = std::uint8_t;

template <typename B>
B* As(ArrayBuilder* b) {
  return static_cast<B*>(b);
}

Status DecodeBool(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  return As<arrow::BooleanBuilder>(b)->Append(p[0] != 0);
}
Status DecodeInt2(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  return As<arrow::Int16Builder>(b)->Append(static_cast<std::int16_t>(LoadU16(p)));
}
Status DecodeInt4(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  return As<arrow::Int32Builder>(b)->Append(static_cast<std::int32_t>(LoadU32(p)));
}
Status DecodeInt8(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  return As<arrow::Int64Builder>(b)->Append(static_cast<std::int64_t>(LoadU64(p)));
}
Status DecodeFloat4(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                    std::int32_t) {
  const std::uint32_t bits = LoadU32(p);
  float v;
  std::memcpy(&v, &bits, sizeof(v));
  return As<arrow::Float32Builder>(b)->Append(v);
}
Status DecodeFloat8(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                    std::int32_t) {
  const std::uint64_t bits = LoadU64(p);
  double v;
  std::memcpy(&v, &bits, sizeof(v));
  return As<arrow::Float64Builder>(b)->Append(v);
}
Status DecodeDecimalPending(ArrayBuilder* b, const ColumnCodec&, DecodeContext& ctx, const U8*,
                            std::int32_t) {
  return As<arrow::Decimal128Builder>(b)->Append(ctx.decimal);
}
Status DecodeDecimal(ArrayBuilder* b, const ColumnCodec& codec, DecodeContext& ctx, const U8* p,
                     std::int32_t length) {
  NumericView n;
  RB_RETURN_NOT_OK(ParseNumeric(Bytes(p, static_cast<std::size_t>(length)), &n));
  RB_RETURN_NOT_OK(NumericToDecimal128(n, codec.precision, codec.scale, &ctx.decimal));
  return As<arrow::Decimal128Builder>(b)->Append(ctx.decimal);
}
Status DecodeNumericText(ArrayBuilder* b, const ColumnCodec&, DecodeContext& ctx, const U8* p,
                         std::int32_t length) {
  NumericView n;
  RB_RETURN_NOT_OK(ParseNumeric(Bytes(p, static_cast<std::size_t>(length)), &n));
  ctx.scratch.resize(static_cast<std::size_t>(NumericTextLength(n)));
  const std::int64_t written = NumericToText(n, ctx.scratch.data());
  return As<arrow::StringBuilder>(b)->Append(ctx.scratch.data(), written);
}
Status DecodeText(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t length) {
  const std::string_view text(reinterpret_cast<const char*>(p), static_cast<std::size_t>(length));
  if (!IsValidUtf8(text)) return ProtocolError("text value is not valid UTF-8");
  return As<arrow::StringBuilder>(b)->Append(text);
}
Status DecodeJsonb(ArrayBuilder* b, const ColumnCodec& codec, DecodeContext& ctx, const U8* p,
                   std::int32_t length) {
  if (length < 1 || p[0] != 1) return ProtocolError("jsonb value with an unknown version");
  return DecodeText(b, codec, ctx, p + 1, length - 1);
}
Status DecodeBytea(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                   std::int32_t length) {
  return As<arrow::BinaryBuilder>(b)->Append(p, length);
}
Status DecodeDate(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  std::int32_t v = static_cast<std::int32_t>(LoadU32(p));
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  if (v != kMax && v != kMin && __builtin_add_overflow(v, kEpochShiftDays, &v)) {
    return ProtocolError("date out of range");
  }
  return As<arrow::Int32Builder>(b)->Append(v);
}
Status DecodeTime(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  return As<arrow::Int64Builder>(b)->Append(static_cast<std::int64_t>(LoadU64(p)));
}
// timestamp(tz): µs since 2000 become µs since 1970 in `*v`; ±infinity (INT64 MAX/MIN) pass
// through unshifted. False when the shift overflows: PostgreSQL accepts years up to 294276,
// int64 µs since 1970 end in 294247.
bool ShiftTimestampToUnix(std::int64_t* v) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  return *v == kMax || *v == kMin || !__builtin_add_overflow(*v, kEpochShiftMicros, v);
}
// Such a row is a data error (on_data_error decides), not a broken stream; so is a value that
// would shift onto INT64 MAX and read back as +infinity.
Status CheckTimestamp(const ColumnCodec&, DecodeContext&, const U8* p, std::int32_t,
                      std::int64_t* arrow_bytes) {
  std::int64_t v = static_cast<std::int64_t>(LoadU64(p));
  const bool infinite = v == std::numeric_limits<std::int64_t>::max();
  if (!ShiftTimestampToUnix(&v) || (!infinite && v == std::numeric_limits<std::int64_t>::max())) {
    return Status::OutOfRange(
        "timestamp after year 294247 does not fit Arrow timestamp[us] (µs since 1970 in 64 bits)");
  }
  *arrow_bytes += 8;
  return Status::OK();
}
Status DecodeTimestamp(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                       std::int32_t) {
  std::int64_t v = static_cast<std::int64_t>(LoadU64(p));
  if (!ShiftTimestampToUnix(&v)) return ProtocolError("timestamp out of range");
  return As<arrow::Int64Builder>(b)->Append(v);
}
// interval: int64 µs, int32 days, int32 months. Check rejects µs whose ×1000 overflows.
Status CheckInterval(const ColumnCodec&, DecodeContext&, const U8* p, std::int32_t,
                     std::int64_t* arrow_bytes) {
  std::int64_t ns;
  if (__builtin_mul_overflow(static_cast<std::int64_t>(LoadU64(p)), 1000, &ns)) {
    return Status::OutOfRange("interval too large for interval[month_day_nano]");
  }
  *arrow_bytes += 16;
  return Status::OK();
}
Status DecodeInterval(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                      std::int32_t) {
  arrow::MonthDayNano v;
  if (__builtin_mul_overflow(static_cast<std::int64_t>(LoadU64(p)), 1000, &v.nanoseconds)) {
    return Status::OutOfRange("interval too large for interval[month_day_nano]");
  }
  v.days = static_cast<std::int32_t>(LoadU32(p + 8));
  v.months = static_cast<std::int32_t>(LoadU32(p + 12));
  return As<arrow::IntervalBuilder>(b)->Append(v);
}
Status DecodeUuid(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                  std::int32_t) {
  auto* fsb = As<arrow::FixedSizeBinaryBuilder>(b);
  RB_RETURN_NOT_OK(fsb->Reserve(1));
  fsb->AppendUnchecked(p);
  return Status::OK();
}

Status CheckDecimal(const ColumnCodec& codec, DecodeContext& ctx, const U8* p,
                    std::int32_t length, std::int64_t* arrow_bytes) {
  NumericView n;
  RB_RETURN_NOT_OK(ParseNumeric(Bytes(p, static_cast<std::size_t>(length)), &n));
  RB_RETURN_NOT_OK(NumericToDecimal128(n, codec.precision, codec.scale, &ctx.decimal));
  *arrow_bytes += 16;
  return Status::OK();
}
Status CheckNumericText(const ColumnCodec&, DecodeContext&, const U8* p, std::int32_t length,
                        std::int64_t* arrow_bytes) {
  NumericView n;
  RB_RETURN_NOT_OK(ParseNumeric(Bytes(p, static_cast<std::size_t>(length)), &n));
  *arrow_bytes += 4 + NumericTextLength(n);
  return Status::OK();
}

}  // namespace

ValueOps OpsFor(const ColumnCodec& codec, bool top_level) {
  if (codec.is_array && top_level) return {DecodeArray, CheckArray, -1, 0};
  switch (codec.codec) {
    case ValueCodec::kBool: return {DecodeBool, nullptr, 1, 1};
    case ValueCodec::kInt2: return {DecodeInt2, nullptr, 2, 2};
    case ValueCodec::kInt4: return {DecodeInt4, nullptr, 4, 4};
    case ValueCodec::kInt8: return {DecodeInt8, nullptr, 8, 8};
    case ValueCodec::kFloat4: return {DecodeFloat4, nullptr, 4, 4};
    case ValueCodec::kFloat8: return {DecodeFloat8, nullptr, 8, 8};
    case ValueCodec::kNumericDecimal:
      return {top_level ? DecodeDecimalPending : DecodeDecimal, CheckDecimal, -1, 16};
    case ValueCodec::kNumericText: return {DecodeNumericText, CheckNumericText, -1, 0};
    case ValueCodec::kText: return {DecodeText, nullptr, -1, 0};
    case ValueCodec::kJsonb: return {DecodeJsonb, nullptr, -1, 0};
    case ValueCodec::kBytea: return {DecodeBytea, nullptr, -1, 0};
    case ValueCodec::kDate: return {DecodeDate, nullptr, 4, 4};
    case ValueCodec::kTime: return {DecodeTime, nullptr, 8, 8};
    case ValueCodec::kTimestamp: return {DecodeTimestamp, CheckTimestamp, 8, 8};
    case ValueCodec::kInterval: return {DecodeInterval, CheckInterval, 16, 16};
    case ValueCodec::kUuid: return {DecodeUuid, nullptr, 16, 16};
  }
  return {DecodeText, nullptr, -1, 0};
}

}  // namespace rapidbyte::pgwire::decode_internal
