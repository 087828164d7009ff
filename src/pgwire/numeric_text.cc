// Decimal text -> binary numeric (for utf8 values written to numeric columns, and uint64).
#include <cstring>

#include "pgwire/numeric.h"
#include "pgwire/numeric_internal.h"

namespace rapidbyte::pgwire {
namespace {

using namespace numeric_internal;  // NOLINT(build/namespaces)

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void SetSpecial(std::uint16_t sign, std::string* out) {
  out->assign(8, '\0');
  PutNumericHeader(reinterpret_cast<std::uint8_t*>(out->data()), 0, 0, sign, 0);
}

// The value of the 4 digits text[pos, pos + 4), where positions outside [0, size) are '0'.
std::uint16_t Group(std::string_view digits, std::int64_t pos) {
  unsigned v = 0;
  for (std::int64_t i = pos; i < pos + 4; ++i) {
    const bool inside = i >= 0 && i < static_cast<std::int64_t>(digits.size());
    v = v * 10 + (inside ? static_cast<unsigned>(digits[static_cast<std::size_t>(i)] - '0') : 0);
  }
  return static_cast<std::uint16_t>(v);
}

}  // namespace

Status TextToNumeric(std::string_view text, std::string* out) {
  if (EqualsNoCase(text, "nan")) return SetSpecial(kSignNaN, out), Status::OK();
  if (EqualsNoCase(text, "infinity") || EqualsNoCase(text, "+infinity")) {
    return SetSpecial(kSignPinf, out), Status::OK();
  }
  if (EqualsNoCase(text, "-infinity")) return SetSpecial(kSignNinf, out), Status::OK();
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  const std::size_t int_start = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  std::string_view whole = text.substr(int_start, i - int_start);
  std::string_view frac;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_start = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    frac = text.substr(frac_start, i - frac_start);
  }
  if (i != text.size() || (whole.empty() && frac.empty())) {
    return Status::InvalidArgument("invalid numeric text");
  }
  while (!whole.empty() && whole[0] == '0') whole.remove_prefix(1);
  if (frac.size() > kMaxDscale || static_cast<std::int64_t>(whole.size()) > kMaxIntegerDigits) {
    return Status::InvalidArgument("numeric text out of range");
  }
  // Groups are aligned on the decimal point: the integer part is padded on the left.
  const std::int64_t nint = (static_cast<std::int64_t>(whole.size()) + 3) / 4;
  const std::int64_t nfrac = (static_cast<std::int64_t>(frac.size()) + 3) / 4;
  const std::int64_t lead = nint * 4 - static_cast<std::int64_t>(whole.size());
  std::int64_t first = 0, last = nint + nfrac;  // [first, last) after stripping zero groups
  auto group_at = [&](std::int64_t g) {
    return g < nint ? Group(whole, g * 4 - lead) : Group(frac, (g - nint) * 4);
  };
  while (first < last && group_at(first) == 0) ++first;
  while (last > first && group_at(last - 1) == 0) --last;
  const std::int64_t count = last - first;
  if (count > 0x7FFF) return Status::InvalidArgument("numeric text out of range");
  out->assign(static_cast<std::size_t>(8 + 2 * count), '\0');
  auto* p = reinterpret_cast<std::uint8_t*>(out->data());
  const std::int64_t weight = count == 0 ? 0 : nint - 1 - first;
  PutNumericHeader(p, static_cast<std::int32_t>(count), static_cast<std::int32_t>(weight),
                   negative && count > 0 ? kSignNeg : kSignPos,
                   static_cast<std::int32_t>(frac.size()));
  for (std::int64_t g = first; g < last; ++g) PutU16Be(p + 8 + 2 * (g - first), group_at(g));
  return Status::OK();
}

}  // namespace rapidbyte::pgwire
