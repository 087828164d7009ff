// Scalar decode functions (network byte order -> Arrow values) and the per-codec table.
#include <array>
#include <cstring>
#include <limits>

#include "arrow/builder_binary.h"
#include "arrow/builder_primitive.h"
#include "base/utf8.h"
#include "pgwire/numeric.h"
#include "pgwire/numeric_internal.h"
#include "pgwire/short_bytes.h"
#include "pgwire/value_decode_internal.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire::decode_internal {
namespace {

using arrow::ArrayBuilder;
using numeric_internal::kMaxDscale;
using numeric_internal::kSignNeg;
using numeric_internal::kSignPos;
using U8 = std::uint8_t;

template <typename B>
B* As(ArrayBuilder* b) {
  return static_cast<B*>(b);
}

// Errors built out of line, so the decode functions stay small enough to inline.
[[gnu::noinline, gnu::cold]] Status WireError(const char* message) {
  return ProtocolError(message);
}

// StringBuilder/BinaryBuilder::Append with short_bytes::Copy.
inline Status AppendBytes(ArrayBuilder* b, const U8* p, std::int32_t length) {
  auto* sb = As<arrow::StringBuilder>(b);
  RB_RETURN_NOT_OK(sb->Reserve(1));
  RB_RETURN_NOT_OK(sb->ReserveData(length));
  short_bytes::Copy(sb->AppendUncheckedSlot(length), p, static_cast<std::size_t>(length));
  return Status::OK();
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
// IsValidUtf8 with a fast path for ASCII, 8 bytes at a time: from the first word with a high
// bit (a character boundary, as every byte before it is ASCII) the full validator takes over.
bool IsValidText(const U8* p, std::size_t n) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080u;
  std::size_t i = 0;
  std::uint64_t word = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&word, p + i, 8);
    if ((word & kHighBits) != 0) break;
  }
  if (i + 8 > n) {  // no high bit so far: test the tail
    if (i == n) return true;
    if (n >= 8) {
      std::memcpy(&word, p + n - 8, 8);  // overlaps bytes already known to be ASCII
    } else {
      word = 0;
      for (std::size_t k = 0; k < n; ++k) word |= p[k];
    }
    if ((word & kHighBits) == 0) return true;
  }
  return IsValidUtf8(std::string_view(reinterpret_cast<const char*>(p + i), n - i));
}
[[gnu::always_inline]] inline Status DecodeText(ArrayBuilder* b, const ColumnCodec&, DecodeContext&,
                                                const U8* p, std::int32_t length) {
  const auto n = static_cast<std::size_t>(length);
  if (!IsValidText(p, n)) return WireError("text value is not valid UTF-8");
  return AppendBytes(b, p, length);
}
Status DecodeJsonb(ArrayBuilder* b, const ColumnCodec& codec, DecodeContext& ctx, const U8* p,
                   std::int32_t length) {
  if (length < 1 || p[0] != 1) return WireError("jsonb value with an unknown version");
  return DecodeText(b, codec, ctx, p + 1, length - 1);
}
Status DecodeBytea(ArrayBuilder* b, const ColumnCodec&, DecodeContext&, const U8* p,
                   std::int32_t length) {
  return AppendBytes(b, p, length);
}
[[gnu::always_inline]] inline Status DecodeDate(ArrayBuilder* b, const ColumnCodec&, DecodeContext&,
                                                const U8* p, std::int32_t) {
  std::int32_t v = static_cast<std::int32_t>(LoadU32(p));
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  if (v != kMax && v != kMin && __builtin_add_overflow(v, kEpochShiftDays, &v)) {
    return WireError("date out of range");
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
[[gnu::always_inline]] inline Status DecodeTimestamp(ArrayBuilder* b, const ColumnCodec&,
                                                     DecodeContext&, const U8* p, std::int32_t) {
  std::int64_t v = static_cast<std::int64_t>(LoadU64(p));
  if (!ShiftTimestampToUnix(&v)) return WireError("timestamp out of range");
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

// CheckDecimal's fast path: ParseNumeric and NumericToDecimal128 in one pass, for a
// well-formed finite value into a precision <= 18 whose digit groups all land at 10^0 to
// 10^14, so that it accumulates in 64 bits (each term and the running sum stay below 10^18).
// False for anything else: the general path then decides, errors included.
bool FastNumericToDecimal(const U8* p, std::int32_t length, std::int32_t precision,
                          std::int32_t scale, arrow::Decimal128* out) {
  static constexpr auto kPow10 = [] {
    std::array<std::uint64_t, 19> t{};
    std::uint64_t v = 1;
    for (std::uint64_t& x : t) {
      x = v;
      v *= 10;
    }
    return t;
  }();
  if (length < 8 || precision < 0 || precision > 18) return false;
  const std::int32_t ndigits = static_cast<std::int16_t>(LoadU16(p));
  const std::int32_t weight = static_cast<std::int16_t>(LoadU16(p + 2));
  const std::uint16_t sign = LoadU16(p + 4);
  if (ndigits < 0 || length != 8 + 2 * ndigits || (sign != kSignPos && sign != kSignNeg) ||
      LoadU16(p + 6) > kMaxDscale) {
    return false;
  }
  const std::uint64_t limit = kPow10[static_cast<std::size_t>(precision)];
  std::uint64_t acc = 0;
  for (std::int32_t i = 0; i < ndigits; ++i) {
    const std::uint64_t d = LoadU16(p + 8 + 2 * i);
    if (d >= 10000) return false;
    if (d == 0) continue;
    const std::int32_t e = 4 * (weight - i) + scale;
    if (e < 0 || e > 14) return false;
    acc += d * kPow10[static_cast<std::size_t>(e)];
    if (acc >= limit) return false;
  }
  const auto v = static_cast<std::int64_t>(acc);
  *out = arrow::Decimal128::FromInt64(sign == kSignNeg ? -v : v);
  return true;
}
Status CheckDecimal(const ColumnCodec& codec, DecodeContext& ctx, const U8* p,
                    std::int32_t length, std::int64_t* arrow_bytes) {
  if (!FastNumericToDecimal(p, length, codec.precision, codec.scale, &ctx.decimal)) {
    NumericView n;
    RB_RETURN_NOT_OK(ParseNumeric(Bytes(p, static_cast<std::size_t>(length)), &n));
    RB_RETURN_NOT_OK(NumericToDecimal128(n, codec.precision, codec.scale, &ctx.decimal));
  }
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

void InitColumn(const ColumnCodec& codec, DecodeColumn* column) {
  column->codec = codec;
  column->ops = OpsFor(codec);
  const ValueOps& ops = column->ops;
  column->wire_length = ops.wire_length;
  column->null_bytes = ops.arrow_width > 0 ? ops.arrow_width : 4;
  // With a Check, the Check measures the value.
  column->value_bytes = ops.check != nullptr ? 0 : column->null_bytes;
  column->length_mask = ops.check == nullptr && ops.arrow_width == 0 ? -1 : 0;
}

namespace {

// A NULL, through the builder's concrete class for the common types (no virtual call).
Status AppendNullTo(const DecodeColumn& c) {
  ArrayBuilder* b = c.builder;
  if (c.codec.is_array) return b->AppendNull();
  switch (c.codec.codec) {
    case ValueCodec::kBool: return As<arrow::BooleanBuilder>(b)->AppendNull();
    case ValueCodec::kInt2: return As<arrow::Int16Builder>(b)->AppendNull();
    case ValueCodec::kInt4:
    case ValueCodec::kDate: return As<arrow::Int32Builder>(b)->AppendNull();
    case ValueCodec::kInt8:
    case ValueCodec::kTime:
    case ValueCodec::kTimestamp: return As<arrow::Int64Builder>(b)->AppendNull();
    case ValueCodec::kFloat4: return As<arrow::Float32Builder>(b)->AppendNull();
    case ValueCodec::kFloat8: return As<arrow::Float64Builder>(b)->AppendNull();
    case ValueCodec::kNumericDecimal: return As<arrow::Decimal128Builder>(b)->AppendNull();
    case ValueCodec::kInterval: return As<arrow::IntervalBuilder>(b)->AppendNull();
    case ValueCodec::kUuid: return As<arrow::FixedSizeBinaryBuilder>(b)->AppendNull();
    case ValueCodec::kNumericText:
    case ValueCodec::kText:
    case ValueCodec::kJsonb:
    case ValueCodec::kBytea: return As<arrow::StringBuilder>(b)->AppendNull();
  }
  return b->AppendNull();
}

// A value: the decode functions of this file called directly (so inlined), not through ops.
Status AppendValue(DecodeColumn& c) {
  ArrayBuilder* b = c.builder;
  const U8* p = c.data;
  const std::int32_t n = c.length;
  if (c.codec.is_array) return c.ops.decode(b, c.codec, c.ctx, p, n);
  switch (c.codec.codec) {
    case ValueCodec::kBool: return DecodeBool(b, c.codec, c.ctx, p, n);
    case ValueCodec::kInt2: return DecodeInt2(b, c.codec, c.ctx, p, n);
    case ValueCodec::kInt4: return DecodeInt4(b, c.codec, c.ctx, p, n);
    case ValueCodec::kInt8: return DecodeInt8(b, c.codec, c.ctx, p, n);
    case ValueCodec::kFloat4: return DecodeFloat4(b, c.codec, c.ctx, p, n);
    case ValueCodec::kFloat8: return DecodeFloat8(b, c.codec, c.ctx, p, n);
    case ValueCodec::kNumericDecimal: return DecodeDecimalPending(b, c.codec, c.ctx, p, n);
    case ValueCodec::kText: return DecodeText(b, c.codec, c.ctx, p, n);
    case ValueCodec::kJsonb: return DecodeJsonb(b, c.codec, c.ctx, p, n);
    case ValueCodec::kBytea: return DecodeBytea(b, c.codec, c.ctx, p, n);
    case ValueCodec::kDate: return DecodeDate(b, c.codec, c.ctx, p, n);
    case ValueCodec::kTime: return DecodeTime(b, c.codec, c.ctx, p, n);
    case ValueCodec::kTimestamp: return DecodeTimestamp(b, c.codec, c.ctx, p, n);
    case ValueCodec::kInterval: return DecodeInterval(b, c.codec, c.ctx, p, n);
    case ValueCodec::kUuid: return DecodeUuid(b, c.codec, c.ctx, p, n);
    case ValueCodec::kNumericText: break;
  }
  return c.ops.decode(b, c.codec, c.ctx, p, n);
}

}  // namespace

Status AppendRow(DecodeColumn* columns, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    DecodeColumn& c = columns[i];
    Status st = c.length < 0 ? AppendNullTo(c) : AppendValue(c);
    if (!st.ok()) return st;
  }
  return Status::OK();
}

}  // namespace rapidbyte::pgwire::decode_internal
