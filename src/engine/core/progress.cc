// Progress display formatting (SPEC §10.3).
#include "engine/core/progress.h"

#include <algorithm>
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

std::string FormatClock(double secs) {
  const std::uint64_t total = std::isfinite(secs) && secs > 0 ? static_cast<std::uint64_t>(secs) : 0;
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
  return clock;
}

std::string FormatProgressHeader(std::string_view pipeline, double elapsed_secs,
                                 std::size_t streams_done, std::size_t streams_total) {
  return std::string(pipeline) + "  " + FormatClock(elapsed_secs) + "  " +
         std::to_string(streams_done) + "/" + std::to_string(streams_total) + " streams done";
}

std::optional<double> EtaSecs(const StreamProgress& s) {
  if (s.rows_expected < 0) return std::nullopt;
  const auto expected = static_cast<std::uint64_t>(s.rows_expected);
  if (s.rows_read > expected) return std::nullopt;
  std::optional<double> eta;
  const std::pair<std::uint64_t, double> stages[] = {{s.rows_read, s.rows_per_sec},
                                                     {s.rows_written, s.written_per_sec}};
  for (const auto& [done, rate] : stages) {
    if (done >= expected) continue;
    if (!std::isfinite(rate) || rate <= 0) return std::nullopt;
    eta = std::max(eta.value_or(0.0), static_cast<double>(expected - done) / rate);
  }
  return eta;
}

namespace {

// "1,234 rows", or while running with an estimate "1,234 / 2,000 rows  61%  ETA 00:07"
// (no percentage or ETA once the rows pass the estimate).
std::string RowsText(const StreamProgress& s) {
  if (s.status != "running" || s.rows_expected < 0) return FormatCount(s.rows_read) + " rows";
  const auto expected = static_cast<std::uint64_t>(s.rows_expected);
  std::string text = FormatCount(s.rows_read) + " / " + FormatCount(expected) + " rows";
  if (s.rows_read <= expected && expected > 0) {
    text += "  " + std::to_string(static_cast<int>(100.0 * static_cast<double>(s.rows_read) /
                                                   static_cast<double>(expected))) + "%";
  }
  if (const std::optional<double> eta = EtaSecs(s)) text += "  ETA " + FormatClock(std::ceil(*eta));
  return text;
}

}  // namespace

std::string FormatProgressRow(const StreamProgress& s, std::size_t name_width) {
  // Column widths follow the SPEC example: name, 3 spaces; status in 9 (the longest word,
  // "completed", in full) + 2; rows in 14 + 1, or + 2 after a longer text (a total and ETA).
  const std::string rows = RowsText(s);
  std::string row = "  " + Pad(s.name, name_width) + "   " + Pad(s.status, 9) + "  " +
                    Pad(rows, 14) + (rows.size() > 14 ? "  " : " ");
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
  if (s.status == "running" && s.lag_bytes >= 0) {
    tail += "  lag " + FormatBytesShort(static_cast<double>(s.lag_bytes));
    if (s.lag_secs >= 0) tail += " " + std::to_string(s.lag_secs) + "s";
  }
  if (s.attempt > 1) tail += "  attempt " + std::to_string(s.attempt);
  row += tail.empty() ? bytes : Pad(bytes, 8) + tail;
  return row;
}

LogFields ProgressLogFields(const StreamProgress& s) {
  LogFields fields = {{"stream", s.name},
                      {"rows_read", std::to_string(s.rows_read)},
                      {"rows_written", std::to_string(s.rows_written)},
                      {"bytes_read", std::to_string(s.bytes_read)},
                      {"rows_per_sec", std::to_string(Whole(s.rows_per_sec))}};
  if (s.rows_expected >= 0) fields.emplace_back("rows_estimate", std::to_string(s.rows_expected));
  if (const std::optional<double> eta = EtaSecs(s)) {
    fields.emplace_back("eta_secs", std::to_string(Whole(std::ceil(*eta))));
  }
  if (s.lag_bytes >= 0) fields.emplace_back("cdc_lag_bytes", std::to_string(s.lag_bytes));
  if (s.lag_secs >= 0) fields.emplace_back("cdc_lag_seconds", std::to_string(s.lag_secs));
  return fields;
}

void SetCdcLag(const std::map<std::string, double>& metrics, StreamProgress* s) {
  const auto value = [&](const char* name) -> std::int64_t {
    const auto it = metrics.find(name);
    if (it == metrics.end() || !std::isfinite(it->second) || it->second < 0) return -1;
    return static_cast<std::int64_t>(it->second);
  };
  s->lag_bytes = value("source.cdc_lag_bytes");
  s->lag_secs = value("source.cdc_lag_seconds");
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
