// Human formatting helpers (SPEC §3.2).
#include "engine/core/format.h"

#include <cmath>
#include <cstdio>

namespace rapidbyte::engine {
namespace {

constexpr double kKiB = 1024.0;
constexpr double kMiB = kKiB * 1024.0;
constexpr double kGiB = kMiB * 1024.0;

double CleanSecs(double secs) { return std::isfinite(secs) && secs > 0 ? secs : 0.0; }

std::string Fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

double PerSecond(double amount, double secs) {
  secs = CleanSecs(secs);
  return secs > 0 ? amount / secs : 0.0;
}

}  // namespace

std::string FormatBytes(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  if (b >= kGiB) return Fixed(b / kGiB, 2) + " GB";
  if (b >= kMiB) return Fixed(b / kMiB, 2) + " MB";
  if (b >= kKiB) return Fixed(b / kKiB, 2) + " KB";
  return std::to_string(bytes) + " B";
}

std::string FormatSeconds(double secs, int decimals) {
  return Fixed(CleanSecs(secs), decimals) + "s";
}

std::string FormatRowsPerSec(std::uint64_t rows, double secs) {
  return Fixed(PerSecond(static_cast<double>(rows), secs), 0) + " rows/sec";
}

std::string FormatMbPerSec(std::uint64_t bytes, double secs) {
  return Fixed(PerSecond(static_cast<double>(bytes) / kMiB, secs), 2) + " MB/s";
}

std::string FormatThroughput(std::uint64_t rows, std::uint64_t bytes, double secs) {
  return FormatRowsPerSec(rows, secs) + ", " + FormatMbPerSec(bytes, secs);
}

std::string FormatMillis(std::int64_t ms) { return std::to_string(ms) + "ms"; }

std::string FormatCompression(std::string_view codec, std::uint64_t uncompressed_bytes,
                              std::uint64_t compressed_bytes, double compress_secs,
                              double decompress_secs) {
  const double percent = uncompressed_bytes == 0 ? 0.0
                                                 : 100.0 * static_cast<double>(compressed_bytes) /
                                                       static_cast<double>(uncompressed_bytes);
  return std::string(codec) + ", " + FormatBytes(uncompressed_bytes) + " -> " +
         FormatBytes(compressed_bytes) + " (" + Fixed(percent, 1) + "%), " +
         FormatSeconds(compress_secs, 3) + " compress, " + FormatSeconds(decompress_secs, 3) +
         " decompress";
}

std::string FormatCount(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace rapidbyte::engine
