// Fixed-width value types without a C++ builtin: decimal128 and interval[month_day_nano].
// Both are stored little-endian in Arrow buffers, 16 bytes each. Portable.
#pragma once

#include <cstdint>

namespace rapidbyte::arrow {

/// A 128-bit two's-complement integer (the unscaled value of a decimal128), as two halves.
struct Decimal128 {
  uint64_t low = 0;
  int64_t high = 0;

  /// Return `v` sign-extended to 128 bits.
  static constexpr Decimal128 FromInt64(int64_t v) {
    return Decimal128{static_cast<uint64_t>(v), v < 0 ? -1 : 0};
  }
  friend constexpr bool operator==(const Decimal128&, const Decimal128&) = default;
};
static_assert(sizeof(Decimal128) == 16);

/// interval[month_day_nano]: months, days and nanoseconds, each counted independently.
struct MonthDayNano {
  int32_t months = 0;
  int32_t days = 0;
  int64_t nanoseconds = 0;

  friend constexpr bool operator==(const MonthDayNano&, const MonthDayNano&) = default;
};
static_assert(sizeof(MonthDayNano) == 16);

}  // namespace rapidbyte::arrow
