// Byte-size parsing with exact integer arithmetic (no floating point), so "1.5gb" is
// exactly 1610612736 and no rounding surprises appear at large values.
#include "config/byte_size.h"

#include <cctype>

namespace rapidbyte::config {
namespace {

// 128-bit intermediates: 2^62 bytes times a 2^30 unit does not fit in 64 bits.
__extension__ typedef unsigned __int128 U128;

std::optional<std::uint64_t> UnitMultiplier(std::string_view unit) {
  std::string lower;
  for (char c : unit) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.empty() || lower == "b") return 1;
  if (lower == "k" || lower == "kb" || lower == "kib") return std::uint64_t{1} << 10;
  if (lower == "m" || lower == "mb" || lower == "mib") return std::uint64_t{1} << 20;
  if (lower == "g" || lower == "gb" || lower == "gib") return std::uint64_t{1} << 30;
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> ParseByteSize(std::string_view text) {
  std::size_t i = 0;
  const auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  U128 whole = 0;
  std::size_t whole_digits = 0;
  while (digit(i)) {
    whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
    if (whole > kMaxByteSize) return std::nullopt;
    ++i;
    ++whole_digits;
  }
  U128 frac = 0;
  U128 frac_scale = 1;
  std::size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (digit(i)) {
      // Digits past 18 cannot change the result by a whole byte at these magnitudes.
      if (frac_digits < 18) {
        frac = frac * 10 + static_cast<unsigned>(text[i] - '0');
        frac_scale *= 10;
      }
      ++i;
      ++frac_digits;
    }
    if (frac_digits == 0) return std::nullopt;
  }
  if (whole_digits == 0) return std::nullopt;
  while (i < text.size() && text[i] == ' ') ++i;
  const auto multiplier = UnitMultiplier(text.substr(i));
  if (!multiplier) return std::nullopt;
  const U128 bytes = whole * *multiplier + frac * *multiplier / frac_scale;
  if (bytes > kMaxByteSize) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::string FormatByteSize(std::uint64_t bytes) {
  constexpr std::uint64_t kKiB = 1024;
  if (bytes != 0 && bytes % (kKiB * kKiB * kKiB) == 0) {
    return std::to_string(bytes / (kKiB * kKiB * kKiB)) + " GiB";
  }
  if (bytes != 0 && bytes % (kKiB * kKiB) == 0) return std::to_string(bytes / (kKiB * kKiB)) + " MiB";
  if (bytes != 0 && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace rapidbyte::config
