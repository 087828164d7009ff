// The dictionary of one column chunk: its distinct values in PLAIN encoding (the body of the
// dictionary page) and an open-addressing index over them, found by their raw physical bytes
// (values.h). The index keeps 12 bytes an entry and no copy of the values, so a dictionary
// near its 1 MiB limit costs little beyond its page. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/format.h"

namespace rapidbyte::parquet {

/// A 32-bit hash of `bytes` (not keyed: a dictionary holds at most its page limit of values).
uint32_t HashBytes(std::string_view bytes);

/// Not thread-safe.
class Dictionary {
 public:
  /// Values of BYTE_ARRAY columns carry PLAIN's 4-byte length prefix in the page.
  explicit Dictionary(PhysicalType type) : byte_array_(type == PhysicalType::kByteArray) {}

  /// The entry of `value`, added if new (*added then says so).
  uint32_t Insert(std::string_view value, bool* added);

  /// Entries (kept after ReleaseIndex()).
  std::size_t size() const { return size_; }
  /// The dictionary page's body: every entry, PLAIN-encoded, in entry order.
  const std::string& plain() const { return plain_; }
  /// Memory held: the page body's and the index's capacities.
  std::size_t MemoryBytes() const;

  /// Drop the index, keeping plain() and size() (the dictionary is complete).
  void ReleaseIndex();
  /// Empty, for the next chunk.
  void Clear();

 private:
  std::string_view Entry(uint32_t e) const;
  void Grow();

  bool byte_array_;
  std::size_t size_ = 0;
  std::string plain_;
  std::vector<uint32_t> starts_;  ///< where entry e's value begins in plain_ (past the prefix)
  std::vector<uint32_t> hashes_;  ///< entry e's hash, for probing and regrowing
  std::vector<uint32_t> slots_;   ///< entry + 1, or 0 for empty; a power of two, half full at most
};

}  // namespace rapidbyte::parquet
