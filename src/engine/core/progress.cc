// Progress display formatting (SPEC §10.3).
#include "engine/core/progress.h"

#include <cmath>
#include <cstdio>

#include "engine/core/format.h"

namespace rapidbyte::engine {
namespace {

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::uint64_t Whole(double v) {
  return std::isfinite(v) && v > 0 ? static_cast<std::uint64_t>(std::llround(v)) : 0;
}

std::string OneDecimal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::string FormatBytesShort(double bytes) {
  if (!std::isfinite(bytes) || bytes < 0) bytes = 0;
  constexpr double kKiB = 1024.0, kMiB = kKiB * 1024.0, kGiB = kMiB * 1024.0;
  if (bytes >= kGiB) return OneDecimal(bytes / kGiB) + " GB";
  if (bytes >= kMiB) return OneDecimal(bytes / kMiB) + " MB";
  if (bytes >= kKiB) return OneDecimal(bytes / kKiB) + " KB";
  return std::to_string(Whole(bytes)) + " B";
}

std::string FormatProgressHeader(std::string_view pipeline, double elapsed_secs,
                                 std::size_t streams_done, std::size_t streams_total) {
  const std::uint64_t total = std::isfinite(elapsed_secs) && elapsed_secs > 0
                                  ? static_cast<std::uint64_t>(elapsed_secs)
                                  : 0;
  char clock[48];
  if (total >= 3600) {
    std::snprintf(clock, sizeof clock, "%llu:%02llu:%02llu",
                  static_cast<unsigned long long>(total / 3600),
                  static_cast<unsigned long long>(total / 60 % 60),
                  static_cast<unsigned long long>(total % 60));
  } else {
    std::snprintf(clock, sizeof clock, "%02llu:%02llu",
                  static_cast<unsigned long long>(total / 60),
                  static_cast<unsigned long long>(total % 60));
  }
  return std::string(pipeline) + "  " + clock + "  " + std::to_string(streams_done) + "/" +
         std::to_string(streams_total) + " streams done";
}

std::string FormatProgressRow(const StreamProgress& s, std::size_t name_width) {
  // Column widths follow the SPEC example: name, 3 spaces; status in 9 + 2; rows in 14 + 1.
  std::string row = "  " + Pad(s.name, name_width) + "   " + Pad(s.status, 9) + "  " +
                    Pad(FormatCount(s.rows_read) + " rows", 14) + " ";
  const std::string bytes = FormatBytesShort(static_cast<double>(s.bytes_read));
  std::string tail;
  if (s.status == "running") {
    tail += "  " + FormatCount(Whole(s.rows_per_sec)) + " rows/s";
    tail += "  " + OneDecimal(std::isfinite(s.bytes_per_sec) && s.bytes_per_sec > 0
                                  ? s.bytes_per_sec / (1024.0 * 1024.0)
                                  : 0.0) +
            " MB/s";
  }
  if (s.rows_written != s.rows_read) tail += "  " + FormatCount(s.rows_written) + " written";
  if (s.attempt > 1) tail += "  attempt " + std::to_string(s.attempt);
  row += tail.empty() ? bytes : Pad(bytes, 8) + tail;
  return row;
}

LogFields ProgressLogFields(const StreamProgress& s) {
  return {{"stream", s.name},
          {"rows_read", std::to_string(s.rows_read)},
          {"rows_written", std::to_string(s.rows_written)},
          {"bytes_read", std::to_string(s.bytes_read)},
          {"rows_per_sec", std::to_string(Whole(s.rows_per_sec))}};
}

std::string FormatProgressLogLine(const StreamProgress& s) {
  std::string line = "progress";
  for (const auto& [key, value] : ProgressLogFields(s)) line += " " + key + "=" + value;
  return line;
}

void RateWindow::Add(double now_secs, std::uint64_t value) {
  samples_.emplace_back(now_secs, value);
  // Keep one sample at or before the window's start, so the rate spans the whole window.
  while (samples_.size() >= 2 && samples_[1].first <= now_secs - window_secs_) {
    samples_.pop_front();
  }
}

double RateWindow::Rate() const {
  if (samples_.size() < 2) return 0;
  const auto& [t0, v0] = samples_.front();
  const auto& [t1, v1] = samples_.back();
  if (t1 <= t0 || v1 < v0) return 0;
  return static_cast<double>(v1 - v0) / (t1 - t0);
}

}  // namespace rapidbyte::engine
