// DataType: the Arrow logical types rapidbyte supports (SPEC §9), their physical layouts and
// their canonical spellings (`int32`, `decimal128(12, 4)`, `timestamp[us, UTC]`,
// `list<int32>`, ...). Portable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace rapidbyte::arrow {

class Field;

enum class TypeId : uint8_t {
  kNull,
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat32,
  kFloat64,
  kDecimal128,
  kUtf8,
  kLargeUtf8,
  kBinary,
  kLargeBinary,
  kFixedSizeBinary,
  kDate32,
  kTime64,
  kTimestamp,
  kIntervalMonthDayNano,
  kList,
};

enum class TimeUnit : uint8_t { kSecond, kMilli, kMicro, kNano };

/// Return "s", "ms", "us" or "ns".
std::string_view TimeUnitSuffix(TimeUnit unit);

/// How a type's values are laid out in memory, i.e. which builder and array class serve it.
enum class Layout : uint8_t {
  kNull,         ///< no buffers
  kBitmap,       ///< validity + bit-packed values (bool)
  kFixedWidth,   ///< validity + values of fixed_width() bytes
  kVarBinary32,  ///< validity + int32 offsets + data (utf8, binary)
  kVarBinary64,  ///< validity + int64 offsets + data (large_utf8, large_binary)
  kList32,       ///< validity + int32 offsets, one child array (list)
};

/// An Arrow data type. A small value type: cheap to copy (a list holds its item field by
/// shared pointer). Immutable after construction; thread-compatible.
class DataType {
 public:
  /// The null type.
  DataType() = default;

  static DataType Null() { return DataType(TypeId::kNull); }
  static DataType Bool() { return DataType(TypeId::kBool); }
  static DataType Int8() { return DataType(TypeId::kInt8); }
  static DataType Int16() { return DataType(TypeId::kInt16); }
  static DataType Int32() { return DataType(TypeId::kInt32); }
  static DataType Int64() { return DataType(TypeId::kInt64); }
  static DataType UInt8() { return DataType(TypeId::kUInt8); }
  static DataType UInt16() { return DataType(TypeId::kUInt16); }
  static DataType UInt32() { return DataType(TypeId::kUInt32); }
  static DataType UInt64() { return DataType(TypeId::kUInt64); }
  static DataType Float32() { return DataType(TypeId::kFloat32); }
  static DataType Float64() { return DataType(TypeId::kFloat64); }
  static DataType Utf8() { return DataType(TypeId::kUtf8); }
  static DataType LargeUtf8() { return DataType(TypeId::kLargeUtf8); }
  static DataType Binary() { return DataType(TypeId::kBinary); }
  static DataType LargeBinary() { return DataType(TypeId::kLargeBinary); }
  static DataType Date32() { return DataType(TypeId::kDate32); }
  static DataType IntervalMonthDayNano() { return DataType(TypeId::kIntervalMonthDayNano); }
  /// decimal128(precision, scale). Check untrusted parameters with Validate().
  static DataType Decimal128(int32_t precision, int32_t scale);
  /// fixed_size_binary[byte_width].
  static DataType FixedSizeBinary(int32_t byte_width);
  /// time64[us] or time64[ns] (Arrow allows no other unit for time64).
  static DataType Time64(TimeUnit unit);
  /// timestamp[unit] or, with a non-empty `timezone`, timestamp[unit, timezone].
  static DataType Timestamp(TimeUnit unit, std::string timezone = {});
  /// list<item>, with the given item field.
  static DataType List(Field item);
  /// list<T> with a nullable item field named "item".
  static DataType List(DataType item_type);

  TypeId id() const { return id_; }
  Layout layout() const;
  /// Bytes per value for Layout::kFixedWidth (incl. fixed_size_binary); 0 otherwise.
  int32_t fixed_width() const;
  /// decimal128 precision/scale; 0 for other types.
  int32_t precision() const { return precision_; }
  int32_t scale() const { return scale_; }
  /// fixed_size_binary width; 0 for other types.
  int32_t byte_width() const { return id_ == TypeId::kFixedSizeBinary ? precision_ : 0; }
  /// time64 and timestamp unit.
  TimeUnit unit() const { return unit_; }
  /// timestamp time zone; empty means "without time zone".
  const std::string& timezone() const { return timezone_; }
  /// list item field / type. Only valid for lists.
  const Field& item_field() const { return *item_; }
  const DataType& item_type() const;

  /// Check the parameters (decimal precision 1..38 and |scale| <= 38, width > 0, time64 unit
  /// us or ns, list nesting depth <= 64); returns InvalidArgument naming the problem.
  Status Validate() const;

  /// The canonical spelling (SPEC §9.1), e.g. `timestamp[us, UTC]` or `list<int32>`.
  std::string ToString() const;

  /// Types are equal when id and parameters are equal; lists compare their item fields
  /// (name, type, nullability, metadata).
  friend bool operator==(const DataType& a, const DataType& b);

 private:
  explicit DataType(TypeId id) : id_(id) {}

  TypeId id_ = TypeId::kNull;
  TimeUnit unit_ = TimeUnit::kSecond;
  int32_t precision_ = 0;  // decimal precision, or fixed_size_binary width
  int32_t scale_ = 0;
  std::string timezone_;
  std::shared_ptr<const Field> item_;
};

}  // namespace rapidbyte::arrow
