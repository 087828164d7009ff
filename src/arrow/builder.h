// ArrayBuilder: the base of the column builders (one per physical layout, see
// builder_primitive.h, builder_binary.h, builder_list.h) and MakeBuilder(). Builders append
// values without a heap allocation per value, report the exact IPC body size of their
// contents (BufferBytes) and keep their capacity across Reset(), so a connector can fill
// batch after batch without reallocating. Portable.
#pragma once

#include <cstdint>
#include <memory>

#include "arrow/array.h"
#include "arrow/bit_util.h"
#include "arrow/byte_buffer.h"
#include "base/result.h"

namespace rapidbyte::arrow {

/// Base class of all column builders. Typed appends live on the concrete classes (they are
/// `final`, so calls through them inline). Usage for the fastest path:
///
///   RB_RETURN_NOT_OK(b->Reserve(n));          // room for n more slots
///   for (...) b->AppendUnchecked(v);          // no capacity checks, no allocation
///
/// `Append(v)` checks capacity and grows geometrically. Owns its buffers; not thread-safe.
class ArrayBuilder {
 public:
  virtual ~ArrayBuilder() = default;
  ArrayBuilder(const ArrayBuilder&) = delete;
  ArrayBuilder& operator=(const ArrayBuilder&) = delete;

  const DataType& type() const { return type_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }
  /// Slots that fit without reallocation.
  int64_t capacity() const { return capacity_; }

  /// Ensure room for `additional` more slots (for the AppendUnchecked family).
  Status Reserve(int64_t additional) {
    return length_ + additional <= capacity_ ? Status::OK() : Grow(length_ + additional);
  }

  /// Append a null slot.
  virtual Status AppendNull() = 0;
  /// Append `n` null slots.
  virtual Status AppendNulls(int64_t n);

  /// Drop the contents and keep the capacity (the buffers are reused by the next batch).
  virtual void Reset() = 0;

  /// Return the exact number of bytes the IPC record-batch body needs for this column:
  /// every buffer (validity only when there are nulls, values, offsets, data, children),
  /// each padded to 8 bytes. Equal to what ipc::StreamWriter writes for it.
  virtual int64_t BufferBytes() const = 0;

  /// Return a view of the current contents (after writing any trailing offset). The view
  /// points into this builder and is valid until the next non-const call on it.
  virtual ArrayView Finish() = 0;

 protected:
  explicit ArrayBuilder(DataType type) : type_(std::move(type)) {}

  /// Grow every buffer to hold at least `min_capacity` slots (geometric growth).
  Status Grow(int64_t min_capacity);
  /// Resize the layout-specific buffers to `new_capacity` slots.
  virtual Status ResizeBuffers(int64_t new_capacity) = 0;

  void SetValid() { bit_util::SetBit(validity_.data(), length_); }
  /// Zero the used validity bytes and the counters (for Reset()).
  void ResetBase();
  int64_t ValidityBytes() const {
    return null_count_ > 0 ? bit_util::PaddedLength(bit_util::BytesForBits(length_)) : 0;
  }
  /// Fill the common fields of a view.
  ArrayView BaseView() const;

  DataType type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  int64_t capacity_ = 0;
  /// One bit per slot of capacity; bytes past the used slots are kept zero so appends only
  /// OR bits in.
  ByteBuffer validity_;
};

/// Create the builder for `type` (validated first): NullBuilder, BooleanBuilder, a
/// FixedWidthBuilder<T> (e.g. Int32Builder for int32 and date32, Int64Builder for int64,
/// time64 and timestamp, Decimal128Builder, IntervalBuilder), FixedSizeBinaryBuilder,
/// StringBuilder/BinaryBuilder, LargeStringBuilder/LargeBinaryBuilder, or ListBuilder.
Result<std::unique_ptr<ArrayBuilder>> MakeBuilder(const DataType& type);

}  // namespace rapidbyte::arrow
