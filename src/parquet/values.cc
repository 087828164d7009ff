// Physical values: integers narrower than 32 bits are widened, decimals are truncated two's
// complement (INT32/INT64) or big-endian bytes (FIXED_LEN_BYTE_ARRAY), intervals text.
#include "parquet/values.h"

#include <cinttypes>
#include <cstdio>

namespace rapidbyte::parquet {
namespace {

using arrow::TypeId;

std::string_view Slot(const arrow::ArrayView& a, int64_t i, int64_t width) {
  return {reinterpret_cast<const char*>(a.values) + (a.offset + i) * width,
          static_cast<std::size_t>(width)};
}

template <typename T>
std::string_view Widened(const arrow::ArrayView& a, int64_t i, std::string* scratch) {
  const auto v = static_cast<int32_t>(arrow::FixedWidthArray<T>(a).Value(i));
  scratch->assign(reinterpret_cast<const char*>(&v), sizeof(v));
  return *scratch;
}

std::string_view DecimalValue(const arrow::ArrayView& a, int64_t i, const ColumnDescriptor& col,
                              std::string* scratch) {
  if (col.type == PhysicalType::kInt32) return Slot(a, i, 16).substr(0, 4);
  if (col.type == PhysicalType::kInt64) return Slot(a, i, 16).substr(0, 8);
  const std::string_view le = Slot(a, i, 16);
  scratch->assign(le.rend() - col.type_length, le.rend());  // the low bytes, big-endian
  return *scratch;
}

std::string_view IntervalValue(const arrow::ArrayView& a, int64_t i, std::string* scratch) {
  scratch->clear();
  AppendIntervalText(arrow::IntervalArray(a).Value(i), scratch);
  return *scratch;
}

}  // namespace

std::string_view PhysicalValue(const arrow::ArrayView& a, int64_t i, const ColumnDescriptor& col,
                               std::string* scratch) {
  switch (a.type->id()) {
    case TypeId::kBool:
      scratch->assign(1, arrow::BooleanArray(a).Value(i) ? '\1' : '\0');
      return *scratch;
    case TypeId::kInt8: return Widened<int8_t>(a, i, scratch);
    case TypeId::kInt16: return Widened<int16_t>(a, i, scratch);
    case TypeId::kUInt8: return Widened<uint8_t>(a, i, scratch);
    case TypeId::kUInt16: return Widened<uint16_t>(a, i, scratch);
    case TypeId::kDecimal128: return DecimalValue(a, i, col, scratch);
    case TypeId::kIntervalMonthDayNano: return IntervalValue(a, i, scratch);
    case TypeId::kUtf8: case TypeId::kBinary: return arrow::StringArray(a).GetView(i);
    case TypeId::kLargeUtf8: case TypeId::kLargeBinary: return arrow::LargeStringArray(a).GetView(i);
    case TypeId::kFixedSizeBinary: return arrow::FixedSizeBinaryArray(a).GetView(i);
    default: return Slot(a, i, a.type->fixed_width());  // 32/64-bit integers, floats, times
  }
}

void AppendIntervalText(const arrow::MonthDayNano& v, std::string* out) {
  const int64_t micros = v.nanoseconds / 1000;
  uint64_t magnitude = micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  const uint64_t fraction = magnitude % 1000000;
  magnitude /= 1000000;
  char buf[96];
  int n = std::snprintf(buf, sizeof(buf), "%" PRId32 " mons %" PRId32 " days %s%02" PRIu64 ":%02" PRIu64
                        ":%02" PRIu64, v.months, v.days, micros < 0 ? "-" : "", magnitude / 3600,
                        magnitude / 60 % 60, magnitude % 60);
  if (fraction != 0) {
    n += std::snprintf(buf + n, sizeof(buf) - static_cast<std::size_t>(n), ".%06" PRIu64, fraction);
    while (buf[n - 1] == '0') --n;  // PostgreSQL prints no trailing zeros
  }
  out->append(buf, static_cast<std::size_t>(n));
}

}  // namespace rapidbyte::parquet
