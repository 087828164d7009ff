// Builders for variable-size binary (utf8, binary, large_utf8, large_binary) and
// fixed_size_binary. Portable; the append paths are inline. Builders do not validate UTF-8:
// callers append text they know to be UTF-8 (the IPC reader checks it on full validation).
#pragma once

#include <cstring>
#include <limits>
#include <string_view>

#include "arrow/builder.h"

namespace rapidbyte::arrow {

/// Builds utf8/binary (OffsetT = int32_t) or large_utf8/large_binary (int64_t) arrays.
/// Offsets and data grow independently: Reserve(n) is for slots, ReserveData(bytes) for the
/// value bytes; after both, AppendUnchecked() neither checks nor allocates.
template <typename OffsetT>
class VarBinaryBuilder final : public ArrayBuilder {
 public:
  static constexpr int64_t kMaxDataBytes = std::numeric_limits<OffsetT>::max();

  explicit VarBinaryBuilder(DataType type) : ArrayBuilder(std::move(type)) {}

  /// Ensure room for `bytes` more value bytes. Fails when the total would exceed what the
  /// offsets can address (2 GiB - 1 for utf8/binary).
  Status ReserveData(int64_t bytes) {
    if (bytes > kMaxDataBytes - data_.size()) return OffsetOverflow(bytes);
    return data_.Reserve(data_.size() + bytes);
  }

  Status Append(std::string_view v) { return Append(v.data(), static_cast<int64_t>(v.size())); }
  Status Append(const void* bytes, int64_t n) {
    if (length_ >= capacity_) RB_RETURN_NOT_OK(Grow(length_ + 1));
    if (n > data_.capacity() - data_.size()) RB_RETURN_NOT_OK(ReserveData(n));
    AppendUnchecked(bytes, n);
    return Status::OK();
  }
  void AppendUnchecked(std::string_view v) {
    AppendUnchecked(v.data(), static_cast<int64_t>(v.size()));
  }
  void AppendUnchecked(const void* bytes, int64_t n) {
    data_.UnsafeAppend(bytes, n);
    SetOffset(length_ + 1, data_.size());
    SetValid();
    ++length_;
  }
  void AppendNullUnchecked() {
    SetOffset(length_ + 1, data_.size());
    ++length_;
    ++null_count_;
  }
  Status AppendNull() override {
    RB_RETURN_NOT_OK(Reserve(1));
    AppendNullUnchecked();
    return Status::OK();
  }
  /// AppendUnchecked() of an `n`-byte value that the caller writes itself: the returned
  /// address, where the caller must store exactly `n` bytes before the next call.
  uint8_t* AppendUncheckedSlot(int64_t n) {
    uint8_t* out = data_.data() + data_.size();
    data_.UnsafeSetSize(data_.size() + n);
    SetOffset(length_ + 1, data_.size());
    SetValid();
    ++length_;
    return out;
  }

  /// Bytes of value data appended so far.
  int64_t data_length() const { return data_.size(); }

  void Reset() override {
    ResetBase();
    data_.Clear();
  }
  int64_t BufferBytes() const override {
    return ValidityBytes() +
           bit_util::PaddedLength((length_ + 1) * static_cast<int64_t>(sizeof(OffsetT))) +
           bit_util::PaddedLength(data_.size());
  }
  ArrayView Finish() override {
    ArrayView v = BaseView();
    // Before the first allocation the only offset is offsets[0] == 0.
    v.values = offsets_.size() > 0 ? offsets_.data() : bit_util::kZeroBytes;
    v.data = data_.data();
    return v;
  }

 private:
  void SetOffset(int64_t i, int64_t value) {
    const OffsetT o = static_cast<OffsetT>(value);
    std::memcpy(offsets_.data() + i * static_cast<int64_t>(sizeof(OffsetT)), &o, sizeof(o));
  }
  Status ResizeBuffers(int64_t new_capacity) override {
    const bool first = offsets_.size() == 0;
    RB_RETURN_NOT_OK(offsets_.Resize((new_capacity + 1) * static_cast<int64_t>(sizeof(OffsetT))));
    if (first) SetOffset(0, 0);
    return Status::OK();
  }
  Status OffsetOverflow(int64_t bytes) const;

  ByteBuffer offsets_;  // offsets_[0] == 0 always
  ByteBuffer data_;
};

using StringBuilder = VarBinaryBuilder<int32_t>;
using BinaryBuilder = VarBinaryBuilder<int32_t>;
using LargeStringBuilder = VarBinaryBuilder<int64_t>;
using LargeBinaryBuilder = VarBinaryBuilder<int64_t>;

/// Builds fixed_size_binary[w] arrays (uuid is w = 16). Null slots hold zero bytes.
class FixedSizeBinaryBuilder final : public ArrayBuilder {
 public:
  explicit FixedSizeBinaryBuilder(DataType type)
      : ArrayBuilder(std::move(type)), width_(type_.byte_width()) {}

  int32_t byte_width() const { return width_; }

  /// Append one value; fails unless `v` has exactly byte_width() bytes.
  Status Append(std::string_view v);
  /// Append the byte_width() bytes at `bytes`, after Reserve().
  void AppendUnchecked(const void* bytes) {
    std::memcpy(values_.data() + length_ * width_, bytes, static_cast<std::size_t>(width_));
    SetValid();
    ++length_;
  }
  void AppendNullUnchecked() {
    std::memset(values_.data() + length_ * width_, 0, static_cast<std::size_t>(width_));
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
    return ValidityBytes() + bit_util::PaddedLength(length_ * width_);
  }
  ArrayView Finish() override {
    ArrayView v = BaseView();
    v.values = values_.data();
    return v;
  }

 private:
  Status ResizeBuffers(int64_t new_capacity) override {
    return values_.Resize(new_capacity * width_);
  }
  int64_t width_;
  ByteBuffer values_;
};

}  // namespace rapidbyte::arrow
