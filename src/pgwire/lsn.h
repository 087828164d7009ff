// Lsn: a PostgreSQL WAL position (XLogRecPtr), written "X/Y" in hex (the high and low 32 bits,
// as pg_lsn prints it). Parsing accepts what pg_lsn_in accepts: 1-8 hex digits on each side of
// the slash, either case. Portable.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace rapidbyte::pgwire {

class Lsn {
 public:
  constexpr Lsn() = default;
  constexpr explicit Lsn(std::uint64_t value) : value_(value) {}

  /// Parse "X/Y" (e.g. "16/B374D848"). Anything else is InvalidArgument.
  static Result<Lsn> Parse(std::string_view text);

  /// "X/Y" in upper-case hex without leading zeros, as PostgreSQL prints it.
  std::string ToString() const;

  constexpr std::uint64_t value() const { return value_; }
  /// 0/0 is InvalidXLogRecPtr: "no position".
  constexpr bool valid() const { return value_ != 0; }

  /// `bytes` further along the WAL; saturates at the largest position instead of wrapping.
  constexpr Lsn Plus(std::uint64_t bytes) const {
    return Lsn(bytes > UINT64_MAX - value_ ? UINT64_MAX : value_ + bytes);
  }
  /// Bytes from `earlier` to this position; 0 when `earlier` is not before it (lag never goes
  /// negative).
  constexpr std::uint64_t BytesSince(Lsn earlier) const {
    return value_ > earlier.value_ ? value_ - earlier.value_ : 0;
  }

  friend constexpr auto operator<=>(Lsn a, Lsn b) = default;

 private:
  std::uint64_t value_ = 0;
};

}  // namespace rapidbyte::pgwire
