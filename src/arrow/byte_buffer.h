// ByteBuffer: a growable, reusable byte buffer (malloc-backed, amortised doubling). It backs
// the builders' column buffers and receives encoded IPC streams. Portable (no exceptions):
// every growth reports allocation failure as a Status instead of throwing.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "base/status.h"

namespace rapidbyte::arrow {

/// A contiguous, growable byte buffer. Owns its memory; movable, not copyable. `Clear()`
/// keeps the capacity so the same buffer can be refilled without reallocating.
/// Not thread-safe.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer();
  ByteBuffer(ByteBuffer&& other) noexcept;
  ByteBuffer& operator=(ByteBuffer&& other) noexcept;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::span<const uint8_t> span() const { return {data_, static_cast<std::size_t>(size_)}; }

  /// Ensure capacity() >= `min_capacity`, growing at least geometrically. Contents are kept.
  Status Reserve(int64_t min_capacity) {
    return min_capacity <= capacity_ ? Status::OK() : Grow(min_capacity);
  }
  /// Set the size to `size`, growing if needed; new bytes are uninitialised.
  Status Resize(int64_t size) {
    RB_RETURN_NOT_OK(Reserve(size));
    size_ = size;
    return Status::OK();
  }
  /// Append `n` bytes from `bytes`.
  Status Append(const void* bytes, int64_t n) {
    RB_RETURN_NOT_OK(Reserve(size_ + n));
    UnsafeAppend(bytes, n);
    return Status::OK();
  }
  /// Append `n` zero bytes.
  Status AppendZeros(int64_t n) {
    RB_RETURN_NOT_OK(Reserve(size_ + n));
    UnsafeAppendZeros(n);
    return Status::OK();
  }
  /// Append without a capacity check; the caller has reserved room.
  void UnsafeAppend(const void* bytes, int64_t n) {
    if (n > 0) std::memcpy(data_ + size_, bytes, static_cast<std::size_t>(n));
    size_ += n;
  }
  void UnsafeAppendZeros(int64_t n) {
    if (n > 0) std::memset(data_ + size_, 0, static_cast<std::size_t>(n));
    size_ += n;
  }
  /// Set the size without touching the bytes; `size` must be <= capacity().
  void UnsafeSetSize(int64_t size) { size_ = size; }
  /// Drop the contents, keep the capacity.
  void Clear() { size_ = 0; }
  /// Free the memory.
  void Release();

 private:
  Status Grow(int64_t min_capacity);

  uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
};

}  // namespace rapidbyte::arrow
