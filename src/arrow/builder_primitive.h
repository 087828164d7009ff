// Builders for the null, bool and fixed-width layouts (integers, floats, date32, time64,
// timestamp, decimal128, interval). Portable; the append paths are inline.
#pragma once

#include <cstring>

#include "arrow/builder.h"

namespace rapidbyte::arrow {

/// Builds a null-type array: only a length.
class NullBuilder final : public ArrayBuilder {
 public:
  explicit NullBuilder(DataType type = DataType::Null()) : ArrayBuilder(std::move(type)) {}
  Status AppendNull() override {
    ++length_;
    ++null_count_;
    return Status::OK();
  }
  Status AppendNulls(int64_t n) override;
  void Reset() override;
  int64_t BufferBytes() const override { return 0; }
  ArrayView Finish() override;

 private:
  Status ResizeBuffers(int64_t) override { return Status::OK(); }
};

/// Builds a bool array (bit-packed values).
class BooleanBuilder final : public ArrayBuilder {
 public:
  explicit BooleanBuilder(DataType type = DataType::Bool()) : ArrayBuilder(std::move(type)) {}

  Status Append(bool v) {
    if (length_ >= capacity_) RB_RETURN_NOT_OK(Grow(length_ + 1));
    AppendUnchecked(v);
    return Status::OK();
  }
  void AppendUnchecked(bool v) {
    bit_util::SetBitFromZero(values_.data(), length_, v);
    SetValid();
    ++length_;
  }
  void AppendNullUnchecked() {
    ++length_;
    ++null_count_;
  }
  Status AppendNull() override {
    RB_RETURN_NOT_OK(Reserve(1));
    AppendNullUnchecked();
    return Status::OK();
  }
  void Reset() override;
  int64_t BufferBytes() const override {
    return ValidityBytes() + bit_util::PaddedLength(bit_util::BytesForBits(length_));
  }
  ArrayView Finish() override;

 private:
  Status ResizeBuffers(int64_t new_capacity) override;
  ByteBuffer values_;  // zero beyond the used bits, like validity_
};

/// Builds a fixed-width array whose values are `T` (trivially copyable, sizeof(T) bytes,
/// little-endian in memory). Null slots hold zero bytes.
template <typename T>
class FixedWidthBuilder final : public ArrayBuilder {
 public:
  explicit FixedWidthBuilder(DataType type) : ArrayBuilder(std::move(type)) {}

  Status Append(T v) {
    if (length_ >= capacity_) RB_RETURN_NOT_OK(Grow(length_ + 1));
    AppendUnchecked(v);
    return Status::OK();
  }
  void AppendUnchecked(T v) {
    std::memcpy(values_.data() + length_ * static_cast<int64_t>(sizeof(T)), &v, sizeof(T));
    SetValid();
    ++length_;
  }
  /// Append `n` non-null values.
  Status AppendValues(const T* v, int64_t n) {
    RB_RETURN_NOT_OK(Reserve(n));
    if (n > 0) {
      std::memcpy(values_.data() + length_ * static_cast<int64_t>(sizeof(T)), v,
                  static_cast<std::size_t>(n) * sizeof(T));
    }
    for (int64_t i = 0; i < n; ++i) bit_util::SetBit(validity_.data(), length_ + i);
    length_ += n;
    return Status::OK();
  }
  void AppendNullUnchecked() {
    std::memset(values_.data() + length_ * static_cast<int64_t>(sizeof(T)), 0, sizeof(T));
    ++length_;
    ++null_count_;
  }
  Status AppendNull() override {
    RB_RETURN_NOT_OK(Reserve(1));
    AppendNullUnchecked();
    return Status::OK();
  }
  void Reset() override { ResetBase(); }
  int64_t BufferBytes() const override {
    return ValidityBytes() + bit_util::PaddedLength(length_ * static_cast<int64_t>(sizeof(T)));
  }
  ArrayView Finish() override {
    ArrayView v = BaseView();
    v.values = values_.data();
    return v;
  }

 private:
  Status ResizeBuffers(int64_t new_capacity) override {
    return values_.Resize(new_capacity * static_cast<int64_t>(sizeof(T)));
  }
  ByteBuffer values_;
};

using Int8Builder = FixedWidthBuilder<int8_t>;
using Int16Builder = FixedWidthBuilder<int16_t>;
using Int32Builder = FixedWidthBuilder<int32_t>;  // also date32
using Int64Builder = FixedWidthBuilder<int64_t>;  // also time64, timestamp
using UInt8Builder = FixedWidthBuilder<uint8_t>;
using UInt16Builder = FixedWidthBuilder<uint16_t>;
using UInt32Builder = FixedWidthBuilder<uint32_t>;
using UInt64Builder = FixedWidthBuilder<uint64_t>;
using Float32Builder = FixedWidthBuilder<float>;
using Float64Builder = FixedWidthBuilder<double>;
using Decimal128Builder = FixedWidthBuilder<Decimal128>;
using IntervalBuilder = FixedWidthBuilder<MonthDayNano>;

}  // namespace rapidbyte::arrow
