// One attempt of one stream (SPEC §5.2): fresh instances of the destination, the transforms
// and the source, each on its own thread, joined by FramePaths; checkpoints correlated and
// positions persisted as the destination commits; the first real failure cancels the rest
// and becomes the attempt's root cause (SPEC §5.6).
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline.h"
#include "engine/core/compression.h"
#include "engine/pipeline_connectors.h"
#include "engine/position.h"
#include "engine/run_control.h"
#include "plugin/module.h"
#include "state/state_backend.h"

#include "protocol/connector_error.h"

namespace rapidbyte::engine {

/// What every attempt of the run shares.
struct RunEnv {
  const config::Pipeline* pipeline = nullptr;
  const PipelineConnectors* connectors = nullptr;
  std::shared_ptr<const plugin::Module> source_module;
  std::vector<std::shared_ptr<const plugin::Module>> transform_modules;
  std::shared_ptr<const plugin::Module> dest_module;
  state::StateBackend* state = nullptr;
  std::int64_t run_id = 0;
  Codec codec = Codec::kNone;
  RunControl* control = nullptr;
};

/// Live counters of a stream, for progress (any thread may read them).
struct StreamLive {
  std::atomic<std::uint64_t> rows_read{0};
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> rows_written{0};
  std::atomic<std::uint64_t> bytes_written{0};
  enum Phase { kWaiting = 0, kRunning = 1, kCompleted = 2, kFailed = 3, kCancelled = 4 };
  std::atomic<int> phase{kWaiting};
  std::atomic<int> attempt{0};
  /// rows_read expected at the end of the current attempt: the rows read before the
  /// source's records_estimate metric arrived plus the estimate; -1 without an estimate.
  std::atomic<std::int64_t> rows_expected{-1};

  /// The source's records_estimate of the current attempt (SPEC §10.2). A connector's
  /// figure: a negative one is ignored and the sum saturates rather than overflows.
  void SetEstimate(std::int64_t records) {
    if (records < 0) return;
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    const std::uint64_t read = rows_read.load();
    rows_expected = read >= static_cast<std::uint64_t>(kMax - records)
                        ? kMax
                        : static_cast<std::int64_t>(read) + records;
  }

  /// The latest value of each connector metric of the current attempt (SPEC §10.2), keyed
  /// "<stage>.<name>", e.g. "destination.records_written". Returns false, keeping nothing,
  /// for a new name once `max_names` names are held: a connector must not grow the map
  /// without bound.
  bool SetMetric(const std::string& key, double value, std::size_t max_names) {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    const auto it = metrics_.find(key);
    if (it != metrics_.end()) {
      it->second = value;
      return true;
    }
    if (metrics_.size() >= max_names) return false;
    metrics_.emplace(key, value);
    return true;
  }
  /// A new attempt: forget the metrics and the estimate of the previous one.
  void ClearMetrics() {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    metrics_.clear();
    rows_expected = -1;
  }
  std::map<std::string, double> Metrics() const {
    std::lock_guard<std::mutex> lock(metrics_mu_);
    return metrics_;
  }

 private:
  mutable std::mutex metrics_mu_;
  std::map<std::string, double> metrics_;
};

/// The stream's stored position, shared by its attempts; persisted through the backend.
struct StreamPosition {
  explicit StreamPosition(std::unique_ptr<PositionKind> k) : kind(std::move(k)) {}

  const std::unique_ptr<PositionKind> kind;  // from the stream's sync mode (position.h)
  std::mutex mu;
  state::CursorRecord row;      // the sync_cursors row: state_id and the stored position
  std::uint64_t token_seq = 0;  // commit-token and position seq within this run

  /// The stored position, parsed from the row (call under mu).
  std::unique_ptr<Position> Stored() const { return kind->FromRow(row); }
};

/// An error of one stage.
struct StageError {
  std::string stage;  // "Source", "Destination", "Transform[0]"
  protocol::ConnectorError error;
  bool host_side = false;
  bool consequence = false;
  std::uint64_t order = 0;  // when it happened, to find the earliest

  /// "<stage> error: <display form>"
  std::string Describe() const;
};

struct AttemptResult {
  bool ok = false;
  bool dest_exactly_once = false;
  std::optional<StageError> root_cause;
  std::vector<StageError> consequences;
  bool cancelled = false;  // the run was cancelled or timed out during the attempt

  // Data moved (engine-counted from frame metadata, uncompressed bytes).
  std::uint64_t records_read = 0, bytes_read = 0, batches_emitted = 0;
  std::uint64_t records_delivered = 0, bytes_delivered = 0;
  // From the connectors' summaries (or their checkpoints when they failed).
  std::uint64_t records_written = 0, bytes_written = 0, batches_written = 0;
  std::uint64_t records_skipped = 0, records_failed = 0, checkpoints = 0;
  // Phase times (SPEC §5.10).
  double source_secs = 0, dest_secs = 0, transform_secs = 0;
  double source_connect = 0, source_query = 0, source_fetch = 0;
  double dest_connect = 0, dest_flush = 0, dest_commit = 0;
  double dest_vm_setup = 0, dest_recv = 0, dest_wait = 0;
  // Channel compression over all channels.
  std::uint64_t compressed_bytes = 0, uncompressed_bytes = 0;
  double compress_secs = 0, decompress_secs = 0;
};

/// Add `more`'s counters and times to `total` (over attempts, or over streams).
void Accumulate(AttemptResult& total, const AttemptResult& more);

AttemptResult RunStreamAttempt(const RunEnv& env, const config::StreamSpec& stream, int attempt,
                               StreamPosition* position, StreamLive* live);

}  // namespace rapidbyte::engine
