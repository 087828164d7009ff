// ByteBuffer growth and release.
#include "arrow/byte_buffer.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

namespace rapidbyte::arrow {

ByteBuffer::~ByteBuffer() { std::free(data_); }

ByteBuffer::ByteBuffer(ByteBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

ByteBuffer& ByteBuffer::operator=(ByteBuffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

void ByteBuffer::Release() {
  std::free(data_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

Status ByteBuffer::Grow(int64_t min_capacity) {
  // Cap at what both size_t and int64_t can index, minus headroom for rounding.
  constexpr uint64_t kMax =
      (SIZE_MAX < static_cast<uint64_t>(INT64_MAX) ? SIZE_MAX : INT64_MAX) / 2;
  if (min_capacity < 0 || static_cast<uint64_t>(min_capacity) > kMax) {
    return Status::ResourceExhausted("buffer of " + std::to_string(min_capacity) +
                                     " bytes is too large");
  }
  int64_t capacity = capacity_ < 32 ? 64 : capacity_ * 2;
  if (static_cast<uint64_t>(capacity) > kMax) capacity = static_cast<int64_t>(kMax);
  if (capacity < min_capacity) capacity = min_capacity;
  capacity = (capacity + 63) & ~int64_t{63};
  void* grown = std::realloc(data_, static_cast<std::size_t>(capacity));
  if (grown == nullptr) {
    return Status::ResourceExhausted("out of memory growing a buffer to " +
                                     std::to_string(capacity) + " bytes");
  }
  data_ = static_cast<uint8_t*>(grown);
  capacity_ = capacity;
  return Status::OK();
}

}  // namespace rapidbyte::arrow
