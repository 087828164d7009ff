// RunStream: every attempt of one stream until it succeeds, fails for good or the run is
// cancelled (SPEC §5.1 step 5, §5.7), with its sync_run_streams row kept up to date.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "engine/stream_attempt.h"

namespace rapidbyte::engine {

/// The changes a cdc stream's destination committed, by kind (SPEC §14.5): the counters
/// changes_inserted, changes_updated, changes_deleted and changes_truncated it reports at each
/// commit for its attempt, summed over attempts.
struct ChangeCounts {
  std::uint64_t inserts = 0, updates = 0, deletes = 0, truncates = 0;
};

struct StreamOutcome {
  std::string name;
  state::StreamStatus status = state::StreamStatus::kNotStarted;
  int attempts = 0;
  std::int64_t retries = 0;
  AttemptResult totals;  // summed over attempts (records_written: committed rows)
  std::optional<StageError> error;  // the root cause of the final failure
  std::string error_message;        // "stream <name>: <Stage> error: <display>" or rule-4 text
  double duration_secs = 0;
  protocol::Json cursor;  // the stored position as the result shows it (Position::Result)
  std::map<std::string, double> metrics;  // connector metrics of the last attempt
  ChangeCounts changes;                   // cdc streams
};

StreamOutcome RunStream(const RunEnv& env, const config::StreamSpec& stream, StreamLive* live);

}  // namespace rapidbyte::engine
