// Bit and alignment helpers for Arrow bitmaps (validity and boolean values, LSB first) and
// for the 8-byte padding of IPC buffers. Portable, header-mostly.
#pragma once

#include <cstdint>

namespace rapidbyte::arrow::bit_util {

/// Return the number of bytes holding `bits` bits (`bits` >= 0).
constexpr int64_t BytesForBits(int64_t bits) { return (bits >> 3) + ((bits & 7) != 0); }

/// 64 zero bytes: padding source, and the offsets of empty arrays that own no buffer yet.
extern const uint8_t kZeroBytes[64];

/// Round `n` (>= 0) up to a multiple of 8, the IPC buffer alignment.
constexpr int64_t PaddedLength(int64_t n) { return (n + 7) & ~int64_t{7}; }

inline bool GetBit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }

/// Set bit `i`; the bit must be zero beforehand (builders keep unused bitmap bytes zeroed).
inline void SetBitFromZero(uint8_t* bits, int64_t i, bool value) {
  bits[i >> 3] = static_cast<uint8_t>(bits[i >> 3] | (static_cast<unsigned>(value) << (i & 7)));
}
inline void SetBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] = static_cast<uint8_t>(bits[i >> 3] | (1u << (i & 7)));
}
inline void ClearBit(uint8_t* bits, int64_t i) {
  bits[i >> 3] = static_cast<uint8_t>(bits[i >> 3] & ~(1u << (i & 7)));
}

/// Count the set bits in [offset, offset + length) of `bits`.
int64_t CountSetBits(const uint8_t* bits, int64_t offset, int64_t length);

/// Copy bits [offset, offset + length) of `src` to the start of `dst`, which must hold
/// BytesForBits(length) bytes; the unused high bits of the last byte are zeroed.
void CopyBitmap(const uint8_t* src, int64_t offset, int64_t length, uint8_t* dst);

/// Set bits [0, length) of `dst` to one; the rest of the last byte is zeroed.
void SetBitsTo1(uint8_t* dst, int64_t length);

}  // namespace rapidbyte::arrow::bit_util
