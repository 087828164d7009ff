// A minimal flatbuffer reader and writer for the Arrow IPC metadata (Schema.fbs and
// Message.fbs). Written here instead of generated, so that every read is bounds-checked
// (the reader is its own verifier) and the code compiles unchanged for wasm32.
// Folder-private (ipc/ only).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::arrow::ipc::internal {

static_assert(std::endian::native == std::endian::little, "IPC code assumes little-endian");

template <typename T>
T LoadLE(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

class FbTable;

/// A vector inside a flatbuffer whose header and element bytes are known to be in bounds.
class FbVector {
 public:
  FbVector() = default;
  FbVector(const uint8_t* buf, uint64_t buf_size, uint64_t start, uint32_t count)
      : buf_(buf), buf_size_(buf_size), start_(start), count_(count) {}

  uint32_t size() const { return count_; }
  /// The bytes of element `i` (i < size()); each element is `elem_size` bytes as given when
  /// the vector was obtained.
  const uint8_t* ElementBytes(uint32_t i, uint32_t elem_size) const {
    return buf_ + start_ + static_cast<uint64_t>(i) * elem_size;
  }
  /// Element `i` of a vector of tables.
  Result<FbTable> TableAt(uint32_t i) const;

 private:
  const uint8_t* buf_ = nullptr;
  uint64_t buf_size_ = 0;
  uint64_t start_ = 0;
  uint32_t count_ = 0;
};

/// A table inside a flatbuffer whose own header and vtable are known to be in bounds. Every
/// accessor checks the field it reads and returns InvalidArgument on a malformed buffer.
/// Non-owning; valid while the buffer is.
class FbTable {
 public:
  /// The root table of the flatbuffer in [data, data + size).
  static Result<FbTable> Root(const uint8_t* data, uint64_t size);
  /// The table at absolute position `pos`.
  static Result<FbTable> At(const uint8_t* data, uint64_t size, uint64_t pos);

  /// Scalar field `id` (default when absent).
  template <typename T>
  Result<T> Scalar(int id, T default_value) const {
    RB_ASSIGN_OR_RETURN(uint64_t pos, FieldPos(id, sizeof(T)));
    return pos == 0 ? default_value : LoadLE<T>(buf_ + pos);
  }
  /// Sub-table field `id`, or nullopt when absent.
  Result<std::optional<FbTable>> Table(int id) const;
  /// String field `id`, or nullopt when absent.
  Result<std::optional<std::string_view>> String(int id) const;
  /// Vector field `id` of `elem_size`-byte elements (4 for tables); empty when absent.
  Result<FbVector> Vector(int id, uint32_t elem_size) const;

 private:
  FbTable(const uint8_t* buf, uint64_t size, uint64_t pos, uint64_t vtable, uint16_t vt_size,
          uint16_t t_size)
      : buf_(buf), size_(size), pos_(pos), vtable_(vtable), vt_size_(vt_size), t_size_(t_size) {}
  /// Absolute position of field `id` of `width` bytes, 0 when absent.
  Result<uint64_t> FieldPos(int id, uint32_t width) const;
  /// Follow the uoffset in field `id`; 0 when absent.
  Result<uint64_t> Deref(int id) const;

  const uint8_t* buf_;
  uint64_t size_;
  uint64_t pos_;
  uint64_t vtable_;
  uint16_t vt_size_;
  uint16_t t_size_;
};

/// Read the string whose length prefix is at absolute position `pos`.
Result<std::string_view> FbStringAt(const uint8_t* buf, uint64_t size, uint64_t pos);

/// Writes a flatbuffer front to back: a parent is written before its children, with uoffset
/// slots patched once a child's position is known (offsets always point forward, as the
/// format requires). Scalars are naturally aligned relative to the buffer start, which the
/// IPC writer places at an 8-byte boundary. Reusable: Clear() keeps the capacity.
class FbWriter {
 public:
  void Clear() { buf_.clear(); }
  const uint8_t* data() const { return buf_.data(); }
  int64_t size() const { return static_cast<int64_t>(buf_.size()); }

  /// Write a uoffset placeholder (e.g. the root offset at position 0); return its position.
  int64_t ReserveOffset();
  /// Point the uoffset at `slot` to `target` (> slot).
  void PatchOffset(int64_t slot, int64_t target);

  /// Collect the fields of one table (ids < 8), then EndTable() writes vtable and table.
  void StartTable() { num_fields_ = 0; }
  template <typename T>
  void AddScalar(int id, T value) {
    Pending& p = pending_[num_fields_++];
    p.id = id;
    p.width = sizeof(T);
    p.is_offset = false;
    std::memcpy(p.bytes, &value, sizeof(T));
  }
  /// A uoffset field; find its slot with SlotOf() after EndTable().
  void AddOffset(int id) {
    AddScalar<uint32_t>(id, 0);
    pending_[num_fields_ - 1].is_offset = true;
  }
  /// Write the table; return its position.
  int64_t EndTable();
  /// Position of field `id` of the table just ended.
  int64_t SlotOf(int id) const { return slots_[id]; }

  /// Write a string; return its position (for PatchOffset).
  int64_t WriteString(std::string_view s);
  /// Write a vector of `n` uoffset placeholders; return its position. Element i's slot is at
  /// position + 4 + 4 * i.
  int64_t WriteOffsetVector(int64_t n);
  /// Write a vector of `n` structs of `elem_size` bytes, 8-byte aligned; return its position.
  int64_t WriteStructVector(const void* elems, int64_t n, int64_t elem_size);

 private:
  struct Pending {
    int id;
    uint32_t width;
    bool is_offset;
    uint8_t bytes[8];
  };
  /// Append zeros until (size + phase) % align == 0.
  void Pad(int64_t align, int64_t phase = 0);
  void Put(const void* p, std::size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }

  std::vector<uint8_t> buf_;
  Pending pending_[8];
  int num_fields_ = 0;
  int64_t slots_[8] = {};
};

}  // namespace rapidbyte::arrow::ipc::internal
