// PostgreSQL numeric in its binary wire form (int16 ndigits, int16 weight, uint16 sign,
// uint16 dscale, ndigits base-10000 digits, most significant first) converted to and from
// Arrow decimal128 and exact decimal text (`NaN`, `Infinity`, `-Infinity` included).
// Portable; no allocation beyond the caller's reusable strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arrow/values.h"
#include "base/status.h"
#include "pgwire/wire_buffer.h"

namespace rapidbyte::pgwire {

/// A validated view of a binary numeric value.
struct NumericView {
  enum class Kind : std::uint8_t { kFinite, kNaN, kPosInfinity, kNegInfinity };
  Kind kind = Kind::kFinite;
  bool negative = false;
  std::int16_t weight = 0;
  std::uint16_t dscale = 0;
  std::int32_t ndigits = 0;
  const std::uint8_t* digits = nullptr;  ///< ndigits big-endian uint16 digits, each < 10000

  std::uint16_t digit(std::int32_t i) const { return LoadU16(digits + 2 * i); }
};

/// Parse and check `value` (length matches ndigits, digits < 10000, known sign, dscale <=
/// 16383). Malformed input is a PROTOCOL_ERROR (kDataLoss).
Status ParseNumeric(Bytes value, NumericView* out);

/// Convert to the unscaled decimal128 of decimal128(precision, scale). NaN, ±Infinity, a
/// non-zero digit beyond `scale` or more than `precision` digits: OutOfRange (a data error
/// of the row).
Status NumericToDecimal128(const NumericView& n, std::int32_t precision, std::int32_t scale,
                           arrow::Decimal128* out);

/// Upper bound of the text length of `n`.
std::int64_t NumericTextLength(const NumericView& n);
/// Append the exact text form of `n` (as PostgreSQL's numeric_out prints it) to `out`, which
/// must have room for NumericTextLength(n) bytes; return the bytes written.
std::int64_t NumericToText(const NumericView& n, char* out);

/// Append the binary numeric of decimal128 `value` at `scale` (0..38) to `out` (no length
/// prefix); return the bytes appended (at most 8 + 2 * 12).
std::int32_t Decimal128ToNumeric(arrow::Decimal128 value, std::int32_t scale,
                                 std::uint8_t* out);
inline constexpr std::int32_t kMaxDecimalNumericBytes = 8 + 2 * 12;

/// Encode decimal text (`-12.50`, `NaN`, `Infinity`, `-Infinity`; no exponent) as a binary
/// numeric into `*out` (replaced). Anything else is InvalidArgument (a data error).
Status TextToNumeric(std::string_view text, std::string* out);

/// Format decimal128 `value` at `scale` as text (`-12.50`) into `out` (>= 42 bytes);
/// return the length.
std::int32_t Decimal128ToText(arrow::Decimal128 value, std::int32_t scale, char* out);

}  // namespace rapidbyte::pgwire
