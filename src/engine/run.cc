// The run (SPEC §5.1): state, lock, run row, connector loading, stream scheduling, result.
#include "engine/run.h"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <future>
#include <thread>

#include "base/log.h"
#include "config/redact.h"
#include "engine/connector_call.h"
#include "engine/core/rusage.h"
#include "state/state_util.h"
#include "engine/stream_context.h"
#include "plugin/connector_loader.h"
#include "plugin/translate/cache.h"
#include "state/state_backend.h"

namespace rapidbyte::engine {

namespace {

Codec CodecOf(config::Compression c) {
  return c == config::Compression::kLz4    ? Codec::kLz4
         : c == config::Compression::kZstd ? Codec::kZstd
                                           : Codec::kNone;
}

// Native code, once per run (SPEC §5.1 step 4), into env's modules and the result's load
// times. The destination loads on a second thread while the source and the transforms load
// here (each load reads and hashes a module of a few MiB and maps its native code, about
// 10 ms). The first failure in pipeline order is returned.
Status LoadModules(const PipelineConnectors& connectors, const std::string& cache_dir, RunEnv* env,
                   RunResult* result) {
  std::future<Result<plugin::LoadedConnector>> dest = std::async(
      std::launch::async, [&] { return LoadStageConnector(*connectors.destination, cache_dir); });
  Status load_status = Status::OK();
  auto load = [&](const StageConnector& c, std::int64_t* ms) -> std::shared_ptr<const plugin::Module> {
    if (!load_status.ok()) return nullptr;
    auto l = LoadStageConnector(c, cache_dir);
    if (!l.ok()) {
      load_status = l.status();
      return nullptr;
    }
    *ms = std::llround(l->module_load_ms);
    return l->module;
  };
  std::int64_t ms = 0;
  env->source_module = load(connectors.source, &ms);
  result->source_module_load_ms = ms;
  for (const auto& t : connectors.transforms) {
    ms = 0;
    env->transform_modules.push_back(load(t, &ms));
    result->transform_module_load_ms.push_back(ms);
  }
  Result<plugin::LoadedConnector> d = dest.get();
  if (!load_status.ok()) return load_status;
  if (!d.ok()) return d.status();
  env->dest_module = d->module;
  result->dest_module_load_ms = std::llround(d->module_load_ms);
  return Status::OK();
}

// Streams in YAML order, at most `parallelism` at a time (SPEC §5.8); a cancelled run
// leaves the rest "not started".
void RunStreams(const config::Pipeline& pipeline, const RunOptions& options, const RunEnv& env,
                const std::vector<std::unique_ptr<StreamLive>>& live, RunResult* result) {
  const std::size_t n = pipeline.source.streams.size();
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    while (true) {
      const std::size_t i = next++;
      if (i >= n) return;
      if (options.control->cancelled()) continue;
      result->streams[i] = RunStream(env, pipeline.source.streams[i], live[i].get());
    }
  };
  const auto workers = static_cast<std::size_t>(
      std::min<std::int64_t>(pipeline.resources.parallelism, static_cast<std::int64_t>(n)));
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

// Finish the run (SPEC §5.1 step 7): rows of streams never started, totals, status and the
// first root cause, the run row, process usage.
void FinishRun(const config::Pipeline& pipeline, const RunOptions& options,
               const PipelineConnectors& connectors, bool loaded, state::StateBackend& state,
               RunResult* result) {
  bool all_completed = loaded;
  for (const auto& s : result->streams) {
    if (s.status == state::StreamStatus::kNotStarted) {
      state::RunStreamRecord row;
      row.run_id = result->run_id;
      row.stream = s.name;
      row.status = state::StreamStatus::kNotStarted;
      (void)state.PutRunStream(row);
    }
  }
  std::string error_message = result->run_error;
  for (const auto& s : result->streams) {
    Accumulate(result->totals, s.totals);
    result->retries += s.retries;
    if (s.status != state::StreamStatus::kCompleted) all_completed = false;
    if (s.error && !result->error) {
      result->error = s.error;
      result->error_stream = s.name;
    }
    if (error_message.empty() && !s.error_message.empty()) error_message = s.error_message;
  }
  const bool user_cancel =
      options.control->cancelled() && options.control->reason() == RunControl::Reason::kUser;
  result->status = all_completed ? "completed" : user_cancel ? "cancelled" : "failed";
  const state::RunStatus run_status = all_completed ? state::RunStatus::kCompleted
                                      : user_cancel ? state::RunStatus::kCancelled
                                                    : state::RunStatus::kFailed;
  state::Counters counters;
  counters.records_read = static_cast<std::int64_t>(result->totals.records_read);
  counters.records_written = static_cast<std::int64_t>(result->totals.records_written);
  counters.records_skipped = static_cast<std::int64_t>(result->totals.records_skipped);
  counters.records_failed = static_cast<std::int64_t>(result->totals.records_failed);
  counters.bytes_read = static_cast<std::int64_t>(result->totals.bytes_read);
  counters.bytes_written = static_cast<std::int64_t>(result->totals.bytes_written);
  if (Status st = state.FinishRun(result->run_id, run_status, counters, result->retries,
                                  config::RedactText(error_message, connectors.secrets));
      !st.ok()) {
    Log(LogLevel::kError, "could not record the end of the run: " + st.message(),
        {{"pipeline", pipeline.name}});
  }
  result->finished_at = state::NowIso8601();
  const ProcessUsage usage = ReadProcessUsage();
  result->peak_rss_bytes = usage.peak_rss_bytes;
  result->cpu_secs = usage.cpu_secs;
  result->duration_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - options.started).count();
}

}  // namespace

Result<RunResult> RunPipeline(const config::Pipeline& pipeline, const RunOptions& options) {
  RunResult result;
  result.pipeline = pipeline.name;
  result.parallelism = pipeline.resources.parallelism;
  result.compression = pipeline.resources.compression == config::Compression::kNone
                           ? ""
                           : std::string(config::Name(pipeline.resources.compression));

  RB_ASSIGN_OR_RETURN(PipelineConnectors connectors, ResolvePipelineConnectors(pipeline, options.resolve));
  if (options.on_connectors) options.on_connectors(connectors);
  std::string cache_dir = options.cache_dir;
  if (cache_dir.empty()) {
    RB_ASSIGN_OR_RETURN(cache_dir, plugin::translate::DefaultCacheDir());
  }

  RB_ASSIGN_OR_RETURN(std::unique_ptr<state::StateBackend> state, state::OpenStateBackend(pipeline.state));
  RB_ASSIGN_OR_RETURN(std::unique_ptr<state::PipelineLock> lock, state->TryLock(pipeline.name));
  RB_ASSIGN_OR_RETURN(std::int64_t interrupted, state->MarkInterrupted(pipeline.name));
  if (interrupted > 0) {
    Log(LogLevel::kWarn, "an earlier run of this pipeline ended without finishing; marked interrupted",
        {{"pipeline", pipeline.name}, {"runs", std::to_string(interrupted)}});
  }
  RB_ASSIGN_OR_RETURN(result.run_id, state->StartRun(pipeline.name));
  result.started_at = state::NowIso8601();
  Log(LogLevel::kInfo, "Pipeline run started",
      {{"pipeline", pipeline.name}, {"run_id", std::to_string(result.run_id)}});

  RunEnv env;
  env.pipeline = &pipeline;
  env.connectors = &connectors;
  env.state = state.get();
  env.run_id = result.run_id;
  env.control = options.control;
  env.codec = CodecOf(pipeline.resources.compression);
  // A failure to load, or to create a directory a config grants, fails the run, never
  // leaving the run row `running`.
  Status load_status = LoadModules(connectors, cache_dir, &env, &result);
  if (load_status.ok()) load_status = CreateConfigDirectories(connectors);

  std::vector<std::unique_ptr<StreamLive>> live;
  RunProgressView view;
  for (const auto& s : pipeline.source.streams) {
    live.push_back(std::make_unique<StreamLive>());
    view.names.push_back(StreamName(s));
    view.live.push_back(live.back().get());
    result.sync_modes.emplace_back(config::Name(s.sync_mode));
    result.write_mode.emplace_back(config::Name(pipeline.destination->write_mode));
  }
  result.streams.resize(live.size());
  for (std::size_t i = 0; i < live.size(); ++i) result.streams[i].name = view.names[i];

  if (!load_status.ok()) {
    result.run_error = load_status.message();
    Log(LogLevel::kError, "Infrastructure error, failing pipeline: " + result.run_error,
        {{"pipeline", pipeline.name}});
  } else {
    if (options.on_streams) options.on_streams(view);
    RunStreams(pipeline, options, env, live, &result);
    if (options.on_streams_end) options.on_streams_end();
  }
  FinishRun(pipeline, options, connectors, load_status.ok(), *state, &result);
  return result;
}

}  // namespace rapidbyte::engine
