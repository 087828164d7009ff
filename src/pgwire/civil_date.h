// Proleptic Gregorian calendar dates of day counts (Howard Hinnant's civil_from_days), for the
// text forms of date and timestamp values, and the floor division that splits an instant into
// days or microseconds, and the zero-padded digits those text forms are made of. Portable,
// header-only.
#pragma once

#include <cstdint>
#include <string>

namespace rapidbyte::pgwire {

struct CivilDate {
  std::int64_t year = 0;  ///< astronomical: 0 is 1 BC, -1 is 2 BC
  unsigned month = 0;     ///< 1-12
  unsigned day = 0;       ///< 1-31
};

/// v / d rounded towards negative infinity, for d > 0: instants before an epoch truncate
/// towards the past like later ones.
inline std::int64_t FloorDiv(std::int64_t v, std::int64_t d) { return v / d - ((v % d) < 0); }

/// The date `days` days after 1970-01-01 (negative: before).
inline CivilDate CivilFromDays(std::int64_t days) {
  days += 719468;  // shift the epoch to 0000-03-01
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate out;
  out.day = doy - (153 * mp + 2) / 5 + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = static_cast<std::int64_t>(yoe) + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

/// Append `v` in decimal, zero-padded to at least `digits` digits (at most 24), in one append.
inline void AppendPadded(std::uint64_t v, int digits, std::string* out) {
  char buf[24];
  char* const end = buf + sizeof(buf);
  char* p = end;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (p > buf && end - p < digits) *--p = '0';
  out->append(p, end);
}

}  // namespace rapidbyte::pgwire
