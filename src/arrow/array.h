// ArrayView: a non-owning view of one Arrow array (validity bitmap, values or offsets, data,
// child arrays), plus typed accessors per layout. The IPC reader hands out views into the
// bytes it was given; builders hand out views into their own buffers. Portable.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "arrow/bit_util.h"
#include "arrow/type.h"
#include "arrow/values.h"

namespace rapidbyte::arrow {

/// A view of an array's buffers. Owns nothing: the buffers belong to whoever produced the view
/// (an IPC input span, a builder) and `type` to a Schema; the view is valid while they are.
/// Buffers are read with memcpy, so they need no particular alignment.
///
/// Buffer roles by layout (slot indexes are relative to `offset`):
///   kNull:        none
///   kBitmap:      values = bit-packed booleans
///   kFixedWidth:  values = length * fixed_width() bytes
///   kVarBinary32/64, kList32: values = offsets (int32/int64, length + 1 of them);
///                 data = bytes (varbinary) or children[0] = the item array (list)
struct ArrayView {
  const DataType* type = nullptr;
  int64_t length = 0;
  /// Logical start within the buffers, in slots (non-zero after Slice()).
  int64_t offset = 0;
  int64_t null_count = 0;
  /// Validity bitmap; nullptr when there are no nulls (or, for the null type, when every slot
  /// is null: then null_count == length).
  const uint8_t* validity = nullptr;
  const uint8_t* values = nullptr;
  const uint8_t* data = nullptr;
  std::vector<ArrayView> children;

  bool IsNull(int64_t i) const {
    return validity != nullptr ? !bit_util::GetBit(validity, offset + i) : null_count != 0;
  }
  bool IsValid(int64_t i) const { return !IsNull(i); }

  /// Return a view of slots [start, start + count), clamped to this array. The null count
  /// of the slice is computed from the bitmap (O(count / 64)).
  ArrayView Slice(int64_t start, int64_t count) const;
};

/// Fixed-width values: all integer and float types, date32 (days, int32), time64 and
/// timestamp (int64 in the type's unit), decimal128 (Decimal128) and interval (MonthDayNano).
/// A thin accessor over a view it does not own. `T` must match the type's width.
template <typename T>
class FixedWidthArray {
 public:
  explicit FixedWidthArray(const ArrayView& view) : view_(&view) {}
  int64_t length() const { return view_->length; }
  int64_t null_count() const { return view_->null_count; }
  bool IsNull(int64_t i) const { return view_->IsNull(i); }
  /// Return value `i` (unspecified but safe to read for null slots).
  T Value(int64_t i) const {
    T out;
    std::memcpy(&out, view_->values + (view_->offset + i) * static_cast<int64_t>(sizeof(T)),
                sizeof(T));
    return out;
  }
  const ArrayView& view() const { return *view_; }

 private:
  const ArrayView* view_;
};

using Int8Array = FixedWidthArray<int8_t>;
using Int16Array = FixedWidthArray<int16_t>;
using Int32Array = FixedWidthArray<int32_t>;
using Int64Array = FixedWidthArray<int64_t>;
using UInt8Array = FixedWidthArray<uint8_t>;
using UInt16Array = FixedWidthArray<uint16_t>;
using UInt32Array = FixedWidthArray<uint32_t>;
using UInt64Array = FixedWidthArray<uint64_t>;
using Float32Array = FixedWidthArray<float>;
using Float64Array = FixedWidthArray<double>;
using Date32Array = FixedWidthArray<int32_t>;
using Time64Array = FixedWidthArray<int64_t>;
using TimestampArray = FixedWidthArray<int64_t>;
using Decimal128Array = FixedWidthArray<Decimal128>;
using IntervalArray = FixedWidthArray<MonthDayNano>;

/// bool values (bit-packed).
class BooleanArray {
 public:
  explicit BooleanArray(const ArrayView& view) : view_(&view) {}
  int64_t length() const { return view_->length; }
  bool IsNull(int64_t i) const { return view_->IsNull(i); }
  bool Value(int64_t i) const { return bit_util::GetBit(view_->values, view_->offset + i); }
  const ArrayView& view() const { return *view_; }

 private:
  const ArrayView* view_;
};

/// utf8/binary (int32 offsets) or large_utf8/large_binary (int64 offsets).
template <typename OffsetT>
class VarBinaryArray {
 public:
  explicit VarBinaryArray(const ArrayView& view) : view_(&view) {}
  int64_t length() const { return view_->length; }
  bool IsNull(int64_t i) const { return view_->IsNull(i); }
  int64_t value_offset(int64_t i) const {
    OffsetT o;
    std::memcpy(&o, view_->values + (view_->offset + i) * static_cast<int64_t>(sizeof(OffsetT)),
                sizeof(o));
    return static_cast<int64_t>(o);
  }
  int64_t value_length(int64_t i) const { return value_offset(i + 1) - value_offset(i); }
  /// The bytes of value `i` (empty for null slots written by our builders).
  std::string_view GetView(int64_t i) const {
    const int64_t start = value_offset(i);
    return {reinterpret_cast<const char*>(view_->data) + start,
            static_cast<std::size_t>(value_offset(i + 1) - start)};
  }
  const ArrayView& view() const { return *view_; }

 private:
  const ArrayView* view_;
};

using StringArray = VarBinaryArray<int32_t>;
using BinaryArray = VarBinaryArray<int32_t>;
using LargeStringArray = VarBinaryArray<int64_t>;
using LargeBinaryArray = VarBinaryArray<int64_t>;

/// fixed_size_binary[w] values (e.g. uuid).
class FixedSizeBinaryArray {
 public:
  explicit FixedSizeBinaryArray(const ArrayView& view)
      : view_(&view), width_(view.type->byte_width()) {}
  int64_t length() const { return view_->length; }
  bool IsNull(int64_t i) const { return view_->IsNull(i); }
  int32_t byte_width() const { return width_; }
  std::string_view GetView(int64_t i) const {
    return {reinterpret_cast<const char*>(view_->values) + (view_->offset + i) * width_,
            static_cast<std::size_t>(width_)};
  }
  const ArrayView& view() const { return *view_; }

 private:
  const ArrayView* view_;
  int32_t width_;
};

/// list<T>: slot i holds items [value_offset(i), value_offset(i + 1)) of values().
class ListArray {
 public:
  explicit ListArray(const ArrayView& view) : view_(&view) {}
  int64_t length() const { return view_->length; }
  bool IsNull(int64_t i) const { return view_->IsNull(i); }
  int64_t value_offset(int64_t i) const {
    int32_t o;
    std::memcpy(&o, view_->values + (view_->offset + i) * 4, sizeof(o));
    return o;
  }
  int64_t value_length(int64_t i) const { return value_offset(i + 1) - value_offset(i); }
  /// The item array (not sliced: index it with value_offset()).
  const ArrayView& values() const { return view_->children[0]; }
  const ArrayView& view() const { return *view_; }

 private:
  const ArrayView* view_;
};

}  // namespace rapidbyte::arrow
