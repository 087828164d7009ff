// Core schema resolution (YAML 1.2.2, §10.3.2), written out by hand so the same rules apply
// to text that came from environment variables.
#include "config/scalar.h"

#include <limits>

namespace rapidbyte::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool IsCoreFloat(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  std::size_t frac_digits = 0;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (!dot && int_digits > 0 && i == s.size()) return false;  // that is an integer
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

bool IsSpecialFloat(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" ||
         s == ".NAN";
}

std::optional<std::int64_t> ParseRadix(std::string_view digits, int radix) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t v = 0;
  for (char c : digits) {
    int d = 0;
    if (IsDigit(c)) {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      d = c - 'A' + 10;
    }
    if (v > (kMax - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(radix)) {
      return std::nullopt;
    }
    v = v * static_cast<std::uint64_t>(radix) + static_cast<std::uint64_t>(d);
  }
  return static_cast<std::int64_t>(v);
}

}  // namespace

std::optional<std::int64_t> ParseCoreInt(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o') {
    auto digits = s.substr(2);
    return AllOf(digits, IsOctal) ? ParseRadix(digits, 8) : std::nullopt;
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') {
    auto digits = s.substr(2);
    return AllOf(digits, IsHex) ? ParseRadix(digits, 16) : std::nullopt;
  }
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (!AllOf(s, IsDigit)) return std::nullopt;
  // Parse the magnitude as unsigned so INT64_MIN is representable.
  constexpr auto kMaxMagnitude =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  std::uint64_t v = 0;
  for (char c : s) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (kMaxMagnitude - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (negative) {
    return v == kMaxMagnitude ? std::numeric_limits<std::int64_t>::min()
                              : -static_cast<std::int64_t>(v);
  }
  if (v == kMaxMagnitude) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<bool> ParseCoreBool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

ScalarType ResolvePlainScalar(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return ScalarType::kNull;
  }
  if (ParseCoreBool(s)) return ScalarType::kBool;
  // An integer that overflows int64 is still an integer by the schema's regular expression.
  const bool int_shape = AllOf(s[0] == '-' || s[0] == '+' ? s.substr(1) : s, IsDigit) ||
                         (s.size() > 2 && s[0] == '0' && s[1] == 'o' && AllOf(s.substr(2), IsOctal)) ||
                         (s.size() > 2 && s[0] == '0' && s[1] == 'x' && AllOf(s.substr(2), IsHex));
  if (int_shape) return ScalarType::kInt;
  if (IsCoreFloat(s) || IsSpecialFloat(s)) return ScalarType::kFloat;
  return ScalarType::kString;
}

}  // namespace rapidbyte::config
