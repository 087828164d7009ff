// Internals shared by the numeric codec files: sign words, header writer, 128-bit integer.
#pragma once

#include <cstdint>

namespace rapidbyte::pgwire::numeric_internal {

__extension__ typedef unsigned __int128 U128;

inline constexpr std::uint16_t kSignPos = 0x0000, kSignNeg = 0x4000, kSignNaN = 0xC000,
                               kSignPinf = 0xD000, kSignNinf = 0xF000;
/// PostgreSQL's limits: NUMERIC_DSCALE_MAX and the digits before the decimal point.
inline constexpr std::uint16_t kMaxDscale = 0x3FFF;
inline constexpr std::int64_t kMaxIntegerDigits = 131072;

inline void PutU16Be(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

inline void PutNumericHeader(std::uint8_t* p, std::int32_t ndigits, std::int32_t weight,
                             std::uint16_t sign, std::int32_t dscale) {
  PutU16Be(p, static_cast<std::uint16_t>(ndigits));
  PutU16Be(p + 2, static_cast<std::uint16_t>(static_cast<std::int16_t>(weight)));
  PutU16Be(p + 4, sign);
  PutU16Be(p + 6, static_cast<std::uint16_t>(dscale));
}

}  // namespace rapidbyte::pgwire::numeric_internal
