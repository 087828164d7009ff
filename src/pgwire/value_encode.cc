// Scalar encode functions: Arrow values -> PostgreSQL binary values (network byte order,
// 2000-01-01 epoch, ±infinity sentinels, unit conversions with sub-microsecond truncation).
#include <cstring>
#include <limits>
#include <utility>

#include "pgwire/civil_date.h"
#include "pgwire/numeric.h"
#include "pgwire/type_map.h"
#include "pgwire/value_encode_internal.h"

namespace rapidbyte::pgwire::encode_internal {

using arrow::ArrayView;
using arrow::ByteBuffer;

bool Fail(EncodeContext& ctx, Status status) {
  ctx.error = std::move(status);
  return false;
}

std::uint8_t* GrowAndExtend(ByteBuffer* out, std::int64_t n, EncodeContext& ctx) {
  Status grown = out->Reserve(out->size() + n);
  if (!grown.ok()) {
    Fail(ctx, std::move(grown));
    return nullptr;
  }
  return Extend(out, n, ctx);
}

bool ValueTooLarge(EncodeContext& ctx) {
  return Fail(ctx, Status::OutOfRange("value larger than 1 GiB"));
}

namespace {
bool ContainsNul(std::string_view v) {
  return short_bytes::ContainsNul(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
}
}  // namespace

template <typename S, typename D>
bool EncodeInt(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const S v = arrow::FixedWidthArray<S>(a).Value(i);
  if (!std::in_range<D>(v)) {
    return Fail(ctx, Status::OutOfRange("integer " + std::to_string(v) +
                                        " out of range for the column"));
  }
  std::uint8_t* p = Extend(out, 4 + static_cast<std::int64_t>(sizeof(D)), ctx);
  if (p == nullptr) return false;
  StoreBe32(p, sizeof(D));
  const auto u = static_cast<std::make_unsigned_t<D>>(static_cast<D>(v));
  if constexpr (sizeof(D) == 2) StoreBe16(p + 4, u);
  if constexpr (sizeof(D) == 4) StoreBe32(p + 4, u);
  if constexpr (sizeof(D) == 8) StoreBe64(p + 4, u);
  return true;
}

template <typename S>
bool EncodeIntNumeric(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const S v = arrow::FixedWidthArray<S>(a).Value(i);
  const arrow::Decimal128 d = std::is_signed_v<S>
                                  ? arrow::Decimal128::FromInt64(static_cast<std::int64_t>(v))
                                  : arrow::Decimal128{static_cast<std::uint64_t>(v), 0};
  std::uint8_t buf[kMaxDecimalNumericBytes];
  return PutValue(out, buf, Decimal128ToNumeric(d, 0, buf), ctx);
}

template <typename S, typename D>
bool EncodeFloat(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const D v = static_cast<D>(arrow::FixedWidthArray<S>(a).Value(i));
  std::uint8_t* p = Extend(out, 4 + static_cast<std::int64_t>(sizeof(D)), ctx);
  if (p == nullptr) return false;
  StoreBe32(p, sizeof(D));
  if constexpr (sizeof(D) == 4) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    StoreBe32(p + 4, bits);
  } else {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    StoreBe64(p + 4, bits);
  }
  return true;
}

bool EncodeBool(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const std::uint8_t v = arrow::BooleanArray(a).Value(i) ? 1 : 0;
  return PutValue(out, &v, 1, ctx);
}

bool EncodeDecimal(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  std::uint8_t buf[kMaxDecimalNumericBytes];
  const auto n = Decimal128ToNumeric(arrow::Decimal128Array(a).Value(i), a.type->scale(), buf);
  return PutValue(out, buf, n, ctx);
}

template <typename OffsetT>
bool EncodeText(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const std::string_view v = arrow::VarBinaryArray<OffsetT>(a).GetView(i);
  if (ContainsNul(v)) return Fail(ctx, Status::InvalidArgument("text contains a NUL byte"));
  return PutValue(out, v.data(), static_cast<std::int64_t>(v.size()), ctx);
}

template <typename OffsetT>
bool EncodeJsonb(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const std::string_view v = arrow::VarBinaryArray<OffsetT>(a).GetView(i);
  if (ContainsNul(v)) return Fail(ctx, Status::InvalidArgument("json contains a NUL byte"));
  const auto n = static_cast<std::int64_t>(v.size());
  if (n + 1 > 0x3FFFFFFF) return ValueTooLarge(ctx);
  std::uint8_t* p = Extend(out, 5 + n, ctx);
  if (p == nullptr) return false;
  StoreBe32(p, static_cast<std::uint32_t>(n + 1));
  p[4] = 1;  // jsonb binary format version
  if (n > 0) std::memcpy(p + 5, v.data(), v.size());
  return true;
}

template <typename OffsetT>
bool EncodeTextNumeric(const ArrayView& a, std::int64_t i, EncodeContext& ctx,
                       ByteBuffer* out) {
  Status parsed = TextToNumeric(arrow::VarBinaryArray<OffsetT>(a).GetView(i), &ctx.scratch);
  if (!parsed.ok()) return Fail(ctx, std::move(parsed));
  return PutValue(out, ctx.scratch.data(), static_cast<std::int64_t>(ctx.scratch.size()), ctx);
}

template <typename OffsetT>
bool EncodeBinary(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const std::string_view v = arrow::VarBinaryArray<OffsetT>(a).GetView(i);
  return PutValue(out, v.data(), static_cast<std::int64_t>(v.size()), ctx);
}

bool EncodeFixedBinary(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const std::string_view v = arrow::FixedSizeBinaryArray(a).GetView(i);
  return PutValue(out, v.data(), static_cast<std::int64_t>(v.size()), ctx);
}

bool EncodeDate(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  std::int32_t v = arrow::Date32Array(a).Value(i);
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  if (v != kMax && v != kMin && __builtin_sub_overflow(v, kEpochShiftDays, &v)) {
    return Fail(ctx, Status::OutOfRange("date out of range"));
  }
  std::uint8_t* p = Extend(out, 8, ctx);
  if (p == nullptr) return false;
  StoreBe32(p, 4);
  StoreBe32(p + 4, static_cast<std::uint32_t>(v));
  return true;
}

bool PutInt64(ByteBuffer* out, std::int64_t v, EncodeContext& ctx) {
  std::uint8_t* p = Extend(out, 12, ctx);
  if (p == nullptr) return false;
  StoreBe32(p, 8);
  StoreBe64(p + 4, static_cast<std::uint64_t>(v));
  return true;
}

template <arrow::TimeUnit kUnit>
bool EncodeTime(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const std::int64_t v = arrow::Time64Array(a).Value(i);
  return PutInt64(out, kUnit == arrow::TimeUnit::kNano ? FloorDiv(v, 1000) : v, ctx);
}

template <arrow::TimeUnit kUnit>
bool EncodeTimestamp(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  std::int64_t v = arrow::TimestampArray(a).Value(i);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  if (v == kMax || v == kMin) return PutInt64(out, v, ctx);  // ±infinity
  bool overflow = false;
  if constexpr (kUnit == arrow::TimeUnit::kSecond) overflow = __builtin_mul_overflow(v, 1000000, &v);
  if constexpr (kUnit == arrow::TimeUnit::kMilli) overflow = __builtin_mul_overflow(v, 1000, &v);
  if constexpr (kUnit == arrow::TimeUnit::kNano) v = FloorDiv(v, 1000);
  if (overflow || __builtin_sub_overflow(v, kEpochShiftMicros, &v) || v == kMax || v == kMin) {
    return Fail(ctx, Status::OutOfRange("timestamp out of range"));
  }
  return PutInt64(out, v, ctx);
}

bool EncodeInterval(const ArrayView& a, std::int64_t i, EncodeContext& ctx, ByteBuffer* out) {
  const arrow::MonthDayNano v = arrow::IntervalArray(a).Value(i);
  std::uint8_t* p = Extend(out, 20, ctx);
  if (p == nullptr) return false;
  StoreBe32(p, 16);
  StoreBe64(p + 4, static_cast<std::uint64_t>(v.nanoseconds / 1000));  // truncated
  StoreBe32(p + 12, static_cast<std::uint32_t>(v.days));
  StoreBe32(p + 16, static_cast<std::uint32_t>(v.months));
  return true;
}

namespace {

bool IsTextTarget(const TargetColumn& t) {
  switch (t.type_oid) {
    case oid::kText:
    case oid::kVarchar:
    case oid::kBpchar:
    case oid::kName:
    case oid::kJson: return true;
    default: return t.type_name == "citext";
  }
}

template <typename S>
EncodeFn IntEncoder(std::uint32_t target) {
  switch (target) {
    case oid::kInt2: return EncodeInt<S, std::int16_t>;
    case oid::kInt4: return EncodeInt<S, std::int32_t>;
    case oid::kInt8: return EncodeInt<S, std::int64_t>;
    case oid::kNumeric: return EncodeIntNumeric<S>;
    default: return nullptr;
  }
}

template <typename OffsetT>
EncodeFn TextEncoder(const TargetColumn& target) {
  if (IsTextTarget(target)) return EncodeText<OffsetT>;
  if (target.type_oid == oid::kJsonb) return EncodeJsonb<OffsetT>;
  if (target.type_oid == oid::kNumeric) return EncodeTextNumeric<OffsetT>;
  return nullptr;
}

EncodeFn ScalarEncoder(const arrow::DataType& type, const TargetColumn& target) {
  using arrow::TimeUnit;
  using arrow::TypeId;
  const std::uint32_t t = target.type_oid;
  switch (type.id()) {
    case TypeId::kInt8: return IntEncoder<std::int8_t>(t);
    case TypeId::kInt16: return IntEncoder<std::int16_t>(t);
    case TypeId::kInt32: return IntEncoder<std::int32_t>(t);
    case TypeId::kInt64: return IntEncoder<std::int64_t>(t);
    case TypeId::kUInt8: return IntEncoder<std::uint8_t>(t);
    case TypeId::kUInt16: return IntEncoder<std::uint16_t>(t);
    case TypeId::kUInt32: return IntEncoder<std::uint32_t>(t);
    case TypeId::kUInt64: return IntEncoder<std::uint64_t>(t);
    case TypeId::kFloat32:
      return t == oid::kFloat4   ? EncodeFloat<float, float>
             : t == oid::kFloat8 ? EncodeFloat<float, double>
                                 : nullptr;
    case TypeId::kFloat64: return t == oid::kFloat8 ? EncodeFloat<double, double> : nullptr;
    case TypeId::kBool: return t == oid::kBool ? EncodeBool : nullptr;
    case TypeId::kDecimal128:
      return t == oid::kNumeric && type.scale() >= 0 ? EncodeDecimal : nullptr;
    case TypeId::kUtf8: return TextEncoder<std::int32_t>(target);
    case TypeId::kLargeUtf8: return TextEncoder<std::int64_t>(target);
    case TypeId::kBinary: return t == oid::kBytea ? EncodeBinary<std::int32_t> : nullptr;
    case TypeId::kLargeBinary: return t == oid::kBytea ? EncodeBinary<std::int64_t> : nullptr;
    case TypeId::kFixedSizeBinary:
      return t == oid::kBytea || (t == oid::kUuid && type.byte_width() == 16) ? EncodeFixedBinary
                                                                              : nullptr;
    case TypeId::kDate32: return t == oid::kDate ? EncodeDate : nullptr;
    case TypeId::kTime64:
      if (t != oid::kTime) return nullptr;
      return type.unit() == TimeUnit::kNano ? EncodeTime<TimeUnit::kNano>
                                            : EncodeTime<TimeUnit::kMicro>;
    case TypeId::kTimestamp:
      if (t != oid::kTimestamp && t != oid::kTimestamptz) return nullptr;
      switch (type.unit()) {
        case TimeUnit::kSecond: return EncodeTimestamp<TimeUnit::kSecond>;
        case TimeUnit::kMilli: return EncodeTimestamp<TimeUnit::kMilli>;
        case TimeUnit::kMicro: return EncodeTimestamp<TimeUnit::kMicro>;
        case TimeUnit::kNano: return EncodeTimestamp<TimeUnit::kNano>;
      }
      return nullptr;
    case TypeId::kIntervalMonthDayNano: return t == oid::kInterval ? EncodeInterval : nullptr;
    default: return nullptr;
  }
}

}  // namespace

bool IsTextInputOnly(const arrow::DataType& type, const TargetColumn& target) {
  const bool text = type.id() == arrow::TypeId::kUtf8 || type.id() == arrow::TypeId::kLargeUtf8;
  return text && TextEncoder<std::int32_t>(target) == nullptr;
}

Result<Encoder> SelectEncoder(const arrow::DataType& type, const TargetColumn& target,
                               EncodeContext* ctx) {
  EncodeFn fn = nullptr;
  if (type.id() == arrow::TypeId::kList) {
    if (target.elem_oid != 0) {
      RB_ASSIGN_OR_RETURN(const Encoder element,
                          SelectEncoder(type.item_type(), TargetColumn{target.elem_oid, 0, {}},
                                        ctx));
      ctx->element = element.fn;
      ctx->elem_oid = target.elem_oid;
      fn = EncodeList;
    }
  } else {
    fn = ScalarEncoder(type, target);
  }
  if (fn == nullptr) {
    return Status::InvalidArgument("cannot write Arrow " + type.ToString() +
                                   " to PostgreSQL type " + std::to_string(target.type_oid) +
                                   (target.type_name.empty() ? "" : " (" + target.type_name + ")"));
  }
  return Encoder{fn};
}

}  // namespace rapidbyte::pgwire::encode_internal
