// Bitmap counting and copying (word at a time where alignment allows).
#include "arrow/bit_util.h"

#include <bit>
#include <cstring>

namespace rapidbyte::arrow::bit_util {

const uint8_t kZeroBytes[64] = {};

int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t i = offset;
  const int64_t end = offset + length;
  // Leading bits up to a byte boundary.
  for (; i < end && (i & 7) != 0; ++i) count += GetBit(bits, i);
  // Whole 64-bit words.
  for (; i + 64 <= end; i += 64) {
    uint64_t word;
    std::memcpy(&word, bits + (i >> 3), sizeof(word));
    count += std::popcount(word);
  }
  // Whole bytes, then trailing bits.
  for (; i + 8 <= end; i += 8) count += std::popcount(static_cast<unsigned>(bits[i >> 3]));
  for (; i < end; ++i) count += GetBit(bits, i);
  return count;
}

void CopyBitmap(const uint8_t* src, int64_t offset, int64_t length, uint8_t* dst) {
  const int64_t nbytes = BytesForBits(length);
  if (nbytes == 0) return;
  if ((offset & 7) == 0) {
    std::memcpy(dst, src + (offset >> 3), static_cast<std::size_t>(nbytes));
  } else {
    const int shift = static_cast<int>(offset & 7);
    const uint8_t* s = src + (offset >> 3);
    // Bytes of src touched by the range: the last output byte may need one more input byte
    // only if that byte is part of the range.
    const int64_t src_bytes = BytesForBits((offset & 7) + length);
    for (int64_t k = 0; k < nbytes; ++k) {
      unsigned lo = s[k] >> shift;
      unsigned hi = (k + 1 < src_bytes) ? static_cast<unsigned>(s[k + 1]) << (8 - shift) : 0u;
      dst[k] = static_cast<uint8_t>(lo | hi);
    }
  }
  const int tail = static_cast<int>(length & 7);
  if (tail != 0) dst[nbytes - 1] = static_cast<uint8_t>(dst[nbytes - 1] & ((1u << tail) - 1));
}

void SetBitsTo1(uint8_t* dst, int64_t length) {
  const int64_t nbytes = BytesForBits(length);
  if (nbytes == 0) return;
  std::memset(dst, 0xFF, static_cast<std::size_t>(nbytes));
  const int tail = static_cast<int>(length & 7);
  if (tail != 0) dst[nbytes - 1] = static_cast<uint8_t>((1u << tail) - 1);
}

}  // namespace rapidbyte::arrow::bit_util
