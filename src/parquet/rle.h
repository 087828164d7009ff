// The RLE / bit-packed hybrid encoding of Parquet (definition and repetition levels,
// dictionary indices): runs of at least 8 equal values become RLE runs, everything else
// bit-packed groups of 8, least significant bit first. Portable; no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace rapidbyte::parquet {

/// Bits needed to store `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

/// Append the hybrid encoding of `values` (each < 2^bit_width, bit_width 0..32) to `*out`,
/// without a length prefix. The last bit-packed group is zero padded; readers know the count.
void EncodeRleHybrid(std::span<const uint32_t> values, int bit_width, std::string* out);

/// Levels as a data page v1 stores them: a 4-byte little-endian length, then the hybrid
/// encoding with the bit width of `max_level`.
void EncodeLevels(std::span<const uint32_t> levels, int max_level, std::string* out);

/// Append `bits` (one 0/1 per byte) packed LSB first: PLAIN booleans.
void PackBits(std::span<const uint8_t> bits, std::string* out);

}  // namespace rapidbyte::parquet
