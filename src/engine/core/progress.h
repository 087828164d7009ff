// Progress display (SPEC §10.3), as pure functions of a stream's counters: the interactive
// block's header and per-stream rows, the non-interactive `progress` log line, and a
// sliding window that turns cumulative counters into rates over the last 5 s.
//
//   pg_to_warehouse  00:12  1/2 streams done
//     public.users   completed  3 rows         612 B
//     sales.orders   running    1,234,567 rows 120.5 MB  102,345 rows/s  10.1 MB/s  attempt 2
//     public.events  running    1,234,567 / 2,000,000 rows  61%  ETA 00:07 120.5 MB  ...
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/log.h"

namespace rapidbyte::engine {

struct StreamProgress {
  std::string name;
  std::string status;  // "running", "completed", "failed", "cancelled", "waiting"
  std::uint64_t rows_read = 0;
  std::uint64_t rows_written = 0;
  std::uint64_t bytes_read = 0;
  double rows_per_sec = 0;   // over the last 5 s (RateWindow)
  double bytes_per_sec = 0;
  int attempt = 1;
  /// rows_read expected when the attempt ends, from the source's records_estimate metric
  /// (SPEC §10.2); -1 when the source gave no estimate.
  std::int64_t rows_expected = -1;
  double written_per_sec = 0;  // rows_written per second over the last 5 s
  /// A cdc stream's lag (SPEC §14.6), from the source's cdc_lag_bytes / cdc_lag_seconds
  /// metrics; -1 for other streams.
  std::int64_t lag_bytes = -1;
  std::int64_t lag_secs = -1;
};

/// Fill `s`'s lag from a stream's metrics ("source.cdc_lag_bytes", ...), when present.
void SetCdcLag(const std::map<std::string, double>& metrics, StreamProgress* s);

/// Seconds until the stream has read and written rows_expected rows, each at its own rate
/// (a source may read far ahead of a slow destination): the later of the two. nullopt
/// without an estimate, while a stage still to finish has no rate, once both are done, or
/// once rows_read has passed the estimate (never negative).
std::optional<double> EtaSecs(const StreamProgress& stream);

/// Elapsed or remaining time as mm:ss, or h:mm:ss from an hour.
std::string FormatClock(double secs);

/// "pg_to_warehouse  00:12  1/2 streams done"; elapsed as mm:ss, or h:mm:ss from an hour.
std::string FormatProgressHeader(std::string_view pipeline, double elapsed_secs,
                                 std::size_t streams_done, std::size_t streams_total);

/// One row of the block; `name_width` is the longest stream name shown. Rates only while
/// running, and with an estimate the total, percentage and ETA ("1,234,567 / 2,000,000 rows
/// 61%  ETA 00:07"); `N written` when it differs from rows read; `attempt N` from the
/// second attempt.
std::string FormatProgressRow(const StreamProgress& stream, std::size_t name_width);

/// Sizes with one decimal for the live display: "612 B", "1.5 KB", "120.5 MB", "2.0 GB".
std::string FormatBytesShort(double bytes);

/// The non-interactive info line's fields: stream, rows_read, rows_written, bytes_read,
/// rows_per_sec (integer), and with an estimate rows_estimate and eta_secs (integer; only
/// while an ETA exists). Log them with the message "progress".
LogFields ProgressLogFields(const StreamProgress& stream);
/// The same as text: "progress stream=public.users rows_read=10 rows_written=8 ...".
std::string FormatProgressLogLine(const StreamProgress& stream);

/// Rate of a cumulative counter over the trailing window. Not thread-safe.
class RateWindow {
 public:
  explicit RateWindow(double window_secs = 5.0) : window_secs_(window_secs) {}
  /// Record the counter's value at time `now_secs` (non-decreasing).
  void Add(double now_secs, std::uint64_t value);
  /// Units per second between the oldest sample in the window and the newest; 0 with
  /// fewer than two samples.
  double Rate() const;

 private:
  double window_secs_;
  std::deque<std::pair<double, std::uint64_t>> samples_;
};

}  // namespace rapidbyte::engine
