// The stream attempt: wiring stages, channels, hooks and the supervisor (SPEC §5.2-5.6).
#include "engine/stream_attempt.h"

#include <chrono>
#include <condition_variable>
#include <thread>

#include "base/log.h"
#include "engine/attempt_state.h"
#include "engine/core/checkpoint_tracker.h"
#include "engine/stage_runner.h"
#include "engine/stream_context.h"

namespace rapidbyte::engine {
namespace {

using Clock = std::chrono::steady_clock;

// A failed stage's consequences are given this long before the supervisor stops waiting
// for connectors that ignore cancellation and forces them to stop.
constexpr auto kPoll = std::chrono::milliseconds(50);
constexpr auto kStuckGrace = std::chrono::seconds(5);

}  // namespace

void Accumulate(AttemptResult& total, const AttemptResult& a) {
  total.records_read += a.records_read;
  total.bytes_read += a.bytes_read;
  total.batches_emitted += a.batches_emitted;
  total.records_delivered += a.records_delivered;
  total.bytes_delivered += a.bytes_delivered;
  total.records_written += a.records_written;
  total.bytes_written += a.bytes_written;
  total.batches_written += a.batches_written;
  total.records_skipped += a.records_skipped;
  total.records_failed += a.records_failed;
  total.checkpoints += a.checkpoints;
  total.source_secs += a.source_secs;
  total.dest_secs += a.dest_secs;
  total.transform_secs += a.transform_secs;
  total.source_connect += a.source_connect;
  total.source_query += a.source_query;
  total.source_fetch += a.source_fetch;
  total.dest_connect += a.dest_connect;
  total.dest_flush += a.dest_flush;
  total.dest_commit += a.dest_commit;
  total.dest_vm_setup += a.dest_vm_setup;
  total.dest_recv += a.dest_recv;
  total.dest_wait += a.dest_wait;
  total.compressed_bytes += a.compressed_bytes;
  total.uncompressed_bytes += a.uncompressed_bytes;
  total.compress_secs += a.compress_secs;
  total.decompress_secs += a.decompress_secs;
}

std::string StageError::Describe() const { return stage + " error: " + error.Display(); }

AttemptResult RunStreamAttempt(const RunEnv& env, const config::StreamSpec& stream, int attempt,
                               StreamPosition* position, StreamLive* live) {
  const config::Pipeline& pipeline = *env.pipeline;
  auto shared = std::make_shared<AttemptState>(env, stream, attempt, position, live);
  AttemptState& st = *shared;

  // Stages in start order: destination, transforms, source (SPEC §4.4).
  std::vector<std::thread> threads;
  const std::size_t n = st.stages.size();
  for (std::size_t i = n; i-- > 0;) {
    threads.emplace_back([shared, i] { RunStage(*shared, *shared->stages[i]); });
  }

  // Supervise: cancel on the first failure or a run-wide cancel; force-stop connectors that
  // outlive the grace period; give up on threads that cannot be stopped.
  const auto grace = std::chrono::seconds(pipeline.resources.cancel_grace_seconds);
  std::optional<Clock::time_point> cancelled_at;
  std::optional<Clock::time_point> stopped_at;
  bool stuck = false;
  {
    std::unique_lock<std::mutex> lock(st.mu);
    while (st.done_count < n) {
      st.changed.wait_for(lock, kPoll);
      const bool failed = st.any_failure;
      const bool run_cancelled = env.control->cancelled();
      if (!cancelled_at && (failed || run_cancelled)) {
        cancelled_at = Clock::now();
        if (run_cancelled && !failed) st.cancelled_by_run = true;
        lock.unlock();
        st.CancelAttempt();
        lock.lock();
        continue;
      }
      if (cancelled_at && !stopped_at &&
          (Clock::now() - *cancelled_at > grace || env.control->stop_now())) {
        stopped_at = Clock::now();
        lock.unlock();
        st.ForceStopAll();
        lock.lock();
        continue;
      }
      if (stopped_at && Clock::now() - *stopped_at > kStuckGrace) {
        stuck = true;
        break;
      }
    }
  }
  for (auto& t : threads) {
    if (stuck) {
      t.detach();  // the shared state outlives it; the CLI exits after reporting
    } else {
      t.join();
    }
  }
  if (stuck) {
    Log(LogLevel::kError, "a connector thread could not be stopped; abandoning it",
        {{"stream", StreamName(stream)}});
  }
  return st.Finish();
}

}  // namespace rapidbyte::engine
