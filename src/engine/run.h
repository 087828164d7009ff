// RunPipeline: `rapidbyte run` without the printing (SPEC §5.1): resolve the connectors,
// open the state backend and take the pipeline lock, record the run, load each connector's
// native code once, run the streams (up to `parallelism` at a time) and finish the run row
// whatever happens.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "config/pipeline.h"
#include "engine/pipeline_connectors.h"
#include "engine/run_control.h"
#include "engine/stream_runner.h"

namespace rapidbyte::engine {

/// Live view of a run for progress displays: the streams and their counters.
struct RunProgressView {
  std::vector<std::string> names;
  std::vector<const StreamLive*> live;
};

struct RunOptions {
  RunControl* control = nullptr;
  ResolveOptions resolve;
  /// Native-code cache; empty: translate::DefaultCacheDir().
  std::string cache_dir;
  /// When the command started (duration_secs counts from here).
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  /// Called once the connectors are resolved (to learn their secrets before anything logs).
  std::function<void(const PipelineConnectors&)> on_connectors;
  /// Called once the streams are known, from the run's thread, before any stream starts;
  /// the view stays valid until RunPipeline returns.
  std::function<void(const RunProgressView&)> on_streams;
  /// Called when the streams are done, before the view is destroyed.
  std::function<void()> on_streams_end;
};

struct RunResult {
  std::string status;  // completed, failed, cancelled
  std::string pipeline;
  std::int64_t run_id = 0;
  std::string started_at, finished_at;
  double duration_secs = 0;
  AttemptResult totals;
  std::int64_t retries = 0;
  std::int64_t parallelism = 1;
  std::string compression;  // "" for none
  std::int64_t source_module_load_ms = 0;
  std::int64_t dest_module_load_ms = 0;
  std::vector<std::int64_t> transform_module_load_ms;
  std::uint64_t peak_rss_bytes = 0;
  double cpu_secs = 0;
  std::vector<StreamOutcome> streams;  // in YAML order; not started ones have kNotStarted
  std::vector<std::string> sync_modes, write_mode;  // per stream, for the JSON
  /// The root cause of the first failed stream, with its stream.
  std::optional<StageError> error;
  std::string error_stream;
  /// A run-level failure before any stream ran (loading connectors).
  std::string run_error;

  double wasm_overhead_secs() const;
  /// The result object of SPEC §5.10 (`with_errors` false gives the @@BENCH_JSON@@ shape).
  nlohmann::json ToJson(bool with_errors = true) const;
};

/// InvalidArgument: a connector problem found before anything ran (exit 2). Other errors:
/// the state backend or the lock (exit 1). Otherwise the run's result, also when it failed.
Result<RunResult> RunPipeline(const config::Pipeline& pipeline, const RunOptions& options);

}  // namespace rapidbyte::engine
