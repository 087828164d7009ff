// numeric wire format <-> decimal128 and text. Digits are base 10000; `weight` is the power
// of 10000 of the first digit; dscale is the number of decimal digits after the point.
#include "pgwire/numeric.h"

#include <cstring>

#include "pgwire/numeric_internal.h"

namespace rapidbyte::pgwire {
namespace {

using namespace numeric_internal;  // NOLINT(build/namespaces)

struct Pow10Table {
  U128 v[39];
  constexpr Pow10Table() : v() {
    v[0] = 1;
    for (int i = 1; i < 39; ++i) v[i] = v[i - 1] * 10;
  }
};
constexpr Pow10Table kPow10;

// Write `v` as exactly 4 decimal digits.
void Put4(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 1000);
  p[1] = static_cast<char>('0' + v / 100 % 10);
  p[2] = static_cast<char>('0' + v / 10 % 10);
  p[3] = static_cast<char>('0' + v % 10);
}

// Split magnitude `v` (value v / 10^scale) into base-10000 groups, most significant first;
// return the count and set *weight.
template <typename T>
int Groups(T v, std::int32_t scale, std::uint16_t* out, std::int32_t* weight) {
  std::uint16_t rev[24];
  int n = 0;
  const std::int32_t rem = scale % 4;
  T frac = v % static_cast<T>(kPow10.v[scale]);
  T whole = v / static_cast<T>(kPow10.v[scale]);
  int nfrac = 0;
  if (rem != 0) {
    rev[n++] = static_cast<std::uint16_t>((frac % static_cast<T>(kPow10.v[rem])) *
                                          static_cast<T>(kPow10.v[4 - rem]));
    frac /= static_cast<T>(kPow10.v[rem]);
    ++nfrac;
  }
  for (std::int32_t i = rem; i < scale; i += 4, ++nfrac) {
    rev[n++] = static_cast<std::uint16_t>(frac % 10000);
    frac /= 10000;
  }
  int nint = 0;
  for (; whole != 0; whole /= 10000, ++nint) rev[n++] = static_cast<std::uint16_t>(whole % 10000);
  for (int i = 0; i < n; ++i) out[i] = rev[n - 1 - i];
  *weight = nint - 1;
  (void)nfrac;
  return n;
}

}  // namespace

Status ParseNumeric(Bytes value, NumericView* out) {
  if (value.size() < 8) return ProtocolError("numeric value shorter than its header");
  const auto ndigits = static_cast<std::int16_t>(LoadU16(value.data()));
  const std::uint16_t sign = LoadU16(value.data() + 4);
  out->weight = static_cast<std::int16_t>(LoadU16(value.data() + 2));
  out->dscale = LoadU16(value.data() + 6);
  if (ndigits < 0 || value.size() != 8 + 2 * static_cast<std::uint64_t>(ndigits)) {
    return ProtocolError("numeric digit count does not match its length");
  }
  out->ndigits = ndigits;
  out->digits = value.data() + 8;
  out->negative = sign == kSignNeg || sign == kSignNinf;
  switch (sign) {
    case kSignPos:
    case kSignNeg: out->kind = NumericView::Kind::kFinite; break;
    case kSignNaN: out->kind = NumericView::Kind::kNaN; return Status::OK();
    case kSignPinf: out->kind = NumericView::Kind::kPosInfinity; return Status::OK();
    case kSignNinf: out->kind = NumericView::Kind::kNegInfinity; return Status::OK();
    default: return ProtocolError("numeric with an unknown sign word");
  }
  if (out->dscale > kMaxDscale) return ProtocolError("numeric display scale out of range");
  for (std::int32_t i = 0; i < ndigits; ++i) {
    if (out->digit(i) >= 10000) return ProtocolError("numeric digit out of range");
  }
  return Status::OK();
}

Status NumericToDecimal128(const NumericView& n, std::int32_t precision, std::int32_t scale,
                           arrow::Decimal128* out) {
  if (n.kind != NumericView::Kind::kFinite) {
    return Status::OutOfRange(n.kind == NumericView::Kind::kNaN
                                  ? "numeric NaN does not fit decimal128"
                                  : "numeric infinity does not fit decimal128");
  }
  const U128 limit = kPow10.v[precision];
  U128 acc = 0;
  for (std::int32_t i = 0; i < n.ndigits; ++i) {
    std::uint32_t d = n.digit(i);
    if (d == 0) continue;
    std::int32_t e = 4 * (n.weight - i) + scale;
    if (e < 0) {
      if (e <= -4 || d % static_cast<std::uint32_t>(kPow10.v[-e]) != 0) {
        return Status::OutOfRange("numeric has more fractional digits than the scale " +
                                  std::to_string(scale));
      }
      d /= static_cast<std::uint32_t>(kPow10.v[-e]);
      e = 0;
    }
    if (e >= 38 || (e > 34 && d >= kPow10.v[38 - e])) {
      return Status::OutOfRange("numeric exceeds decimal128 precision");
    }
    acc += d * kPow10.v[e];
    if (acc >= limit) {
      return Status::OutOfRange("numeric exceeds precision " + std::to_string(precision));
    }
  }
  const U128 v = n.negative ? -acc : acc;
  out->low = static_cast<std::uint64_t>(v);
  out->high = static_cast<std::int64_t>(static_cast<std::uint64_t>(v >> 64));
  return Status::OK();
}

std::int64_t NumericTextLength(const NumericView& n) {
  const std::int64_t int_digits = n.weight >= 0 ? 4 * (std::int64_t{n.weight} + 1) : 1;
  return 1 + int_digits + 1 + n.dscale + 4 + 9;  // sign, point, a spare group, "-Infinity"
}

std::int64_t NumericToText(const NumericView& n, char* out) {
  static constexpr std::string_view kNaN = "NaN", kInf = "Infinity", kNinf = "-Infinity";
  std::string_view special;
  if (n.kind == NumericView::Kind::kNaN) special = kNaN;
  if (n.kind == NumericView::Kind::kPosInfinity) special = kInf;
  if (n.kind == NumericView::Kind::kNegInfinity) special = kNinf;
  if (!special.empty()) {
    std::memcpy(out, special.data(), special.size());
    return static_cast<std::int64_t>(special.size());
  }
  char* p = out;
  if (n.negative && n.ndigits > 0) *p++ = '-';
  if (n.weight < 0) {
    *p++ = '0';
  } else {
    for (std::int32_t d = 0; d <= n.weight; ++d) {
      const unsigned dig = d < n.ndigits ? n.digit(d) : 0;
      if (d == 0) {
        char tmp[4];
        Put4(tmp, dig);
        int skip = 0;
        while (skip < 3 && tmp[skip] == '0') ++skip;
        std::memcpy(p, tmp + skip, static_cast<std::size_t>(4 - skip));
        p += 4 - skip;
      } else {
        Put4(p, dig);
        p += 4;
      }
    }
  }
  if (n.dscale > 0) {
    *p++ = '.';
    char* const frac_end = p + n.dscale;
    for (std::int32_t d = n.weight + 1; p < frac_end; ++d) {
      const unsigned dig = d >= 0 && d < n.ndigits ? n.digit(d) : 0;
      Put4(p, dig);
      p += 4;
    }
    p = frac_end;
  }
  return p - out;
}

std::int32_t Decimal128ToNumeric(arrow::Decimal128 value, std::int32_t scale,
                                 std::uint8_t* out) {
  U128 v = (static_cast<U128>(static_cast<std::uint64_t>(value.high)) << 64) | value.low;
  const bool negative = value.high < 0;
  if (negative) v = -v;
  std::uint16_t groups[24];
  std::int32_t weight = 0;
  int n = v <= ~std::uint64_t{0} && scale <= 19
              ? Groups<std::uint64_t>(static_cast<std::uint64_t>(v), scale, groups, &weight)
              : Groups<U128>(v, scale, groups, &weight);
  int first = 0;
  while (first < n && groups[first] == 0) ++first, --weight;
  while (n > first && groups[n - 1] == 0) --n;
  const int count = n - first;
  if (count == 0) weight = 0;
  PutNumericHeader(out, count, weight, negative && count > 0 ? kSignNeg : kSignPos, scale);
  for (int i = 0; i < count; ++i) PutU16Be(out + 8 + 2 * i, groups[first + i]);
  return 8 + 2 * count;
}

std::int32_t Decimal128ToText(arrow::Decimal128 value, std::int32_t scale, char* out) {
  U128 v = (static_cast<U128>(static_cast<std::uint64_t>(value.high)) << 64) | value.low;
  const bool negative = value.high < 0;
  if (negative) v = -v;
  char rev[48];
  int n = 0;
  // 128-bit division is a library call (slow on wasm32): only while the value needs it.
  for (; (v >> 64) != 0; v /= 10) rev[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
  for (auto w = static_cast<std::uint64_t>(v); w != 0 || n <= scale; w /= 10) {
    rev[n++] = static_cast<char>('0' + static_cast<int>(w % 10));
  }
  char* p = out;
  if (negative) *p++ = '-';
  for (int i = n - 1; i >= 0; --i) {
    *p++ = rev[i];
    if (i == scale && scale > 0) *p++ = '.';
  }
  return static_cast<std::int32_t>(p - out);
}

}  // namespace rapidbyte::pgwire
