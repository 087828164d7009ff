// Attempts, retries and the stream's run row (SPEC §5.1, §5.7).
#include "engine/stream_runner.h"

#include <chrono>

#include "base/log.h"
#include "engine/core/retry_policy.h"
#include "state/state_util.h"
#include "engine/stream_context.h"

namespace rapidbyte::engine {
namespace {

using Clock = std::chrono::steady_clock;

state::Counters CountersOf(const AttemptResult& r) {
  state::Counters c;
  c.records_read = static_cast<std::int64_t>(r.records_read);
  c.records_written = static_cast<std::int64_t>(r.records_written);
  c.records_skipped = static_cast<std::int64_t>(r.records_skipped);
  c.records_failed = static_cast<std::int64_t>(r.records_failed);
  c.bytes_read = static_cast<std::int64_t>(r.bytes_read);
  c.bytes_written = static_cast<std::int64_t>(r.bytes_written);
  return c;
}

}  // namespace

StreamOutcome RunStream(const RunEnv& env, const config::StreamSpec& stream, StreamLive* live) {
  const auto start = Clock::now();
  StreamOutcome out;
  out.name = StreamName(stream);
  state::RunStreamRecord row;
  row.run_id = env.run_id;
  row.stream = out.name;
  row.started_at = state::NowIso8601();
  auto finish = [&](state::StreamStatus status) {
    out.status = status;
    out.duration_secs = std::chrono::duration<double>(Clock::now() - start).count();
    row.status = status;
    row.attempts = out.attempts;
    row.counters = CountersOf(out.totals);
    row.finished_at = state::NowIso8601();
    if (out.error) {
      row.error_category = std::string(protocol::Name(out.error->error.category));
      row.error_code = out.error->error.code;
    }
    row.error_message = out.error_message;
    if (Status st = env.state->PutRunStream(row); !st.ok()) {
      Log(LogLevel::kError, "could not record the stream's outcome: " + st.message(), {{"stream", out.name}});
    }
    return out;
  };
  auto fail_without_attempt = [&](std::string code, std::string message) {
    StageError e;
    e.stage = "Run";
    e.error = protocol::ConnectorError::Make(protocol::ErrorCategory::kInternal, std::move(code), message);
    e.host_side = true;
    out.error = e;
    out.error_message = "stream " + out.name + ": " + message;
    live->phase = StreamLive::kFailed;
    return finish(state::StreamStatus::kFailed);
  };

  StreamPosition position;
  const std::string yaml_cursor = stream.cursor_field.value_or("");
  auto cursor = env.state->EnsureCursor(env.pipeline->name, out.name, yaml_cursor);
  if (!cursor.ok()) return fail_without_attempt("STATE_BACKEND", cursor.status().message());
  position.cursor = *cursor;
  if (stream.sync_mode == config::SyncMode::kIncremental && !cursor->cursor_field.empty() &&
      cursor->cursor_field != yaml_cursor) {
    return fail_without_attempt(
        "CURSOR_FIELD_CHANGED",
        "cursor_field changed from '" + cursor->cursor_field + "' to '" + yaml_cursor +
            "' since the last run; run 'rapidbyte state reset " + env.pipeline->file + " --stream " + out.name +
            "' to start over");
  }

  live->phase = StreamLive::kRunning;
  const RandomSource random = DefaultRandomSource();
  while (true) {
    ++out.attempts;
    live->attempt = out.attempts;
    live->ClearMetrics();
    row.attempts = out.attempts;
    AttemptResult attempt = RunStreamAttempt(env, stream, out.attempts, &position, live);
    out.metrics = live->Metrics();
    Accumulate(out.totals, attempt);
    if (attempt.ok) {
      out.error.reset();
      out.error_message.clear();
      break;
    }
    out.error = attempt.root_cause;
    const protocol::ConnectorError& error = out.error->error;
    out.error_message = "stream " + out.name + ": " + out.error->Describe();

    AttemptFailure failure;
    failure.error = error;
    failure.host_side = IsHostSideCode(error.code);
    failure.cancelled = attempt.cancelled && env.control->reason() == RunControl::Reason::kUser;
    failure.timed_out = attempt.cancelled && env.control->reason() == RunControl::Reason::kTimeout;
    failure.display = out.error_message;
    RetryContext context;
    context.pipeline = env.pipeline->name;
    context.stream = out.name;
    context.attempt = out.attempts;
    context.retries_so_far = out.retries;
    context.max_retries = env.pipeline->resources.max_retries;
    context.exactly_once = attempt.dest_exactly_once;
    {
      std::lock_guard<std::mutex> lock(position.mu);
      if (!position.cursor.cursor_value.empty()) {
        context.stored_cursor_value = position.cursor.cursor_value;
        context.stored_by_run_id = position.cursor.position_run_id;
      }
    }
    const RetryDecision decision = DecideRetry(failure, context, random);
    if (!decision.log_message.empty()) Log(decision.log_level, decision.log_message, decision.log_fields);
    if (!decision.failure_message.empty()) out.error_message = "stream " + out.name + ": " + decision.failure_message;
    if (!decision.retry) break;
    row.status = state::StreamStatus::kRunning;
    row.counters = CountersOf(out.totals);
    (void)env.state->PutRunStream(row);
    if (env.control->WaitFor(std::chrono::milliseconds(decision.delay_ms))) break;
    ++out.retries;
  }
  {
    std::lock_guard<std::mutex> lock(position.mu);
    if (!position.cursor.cursor_value.empty()) {
      out.cursor = std::make_pair(
          position.cursor.cursor_field,
          protocol::ParseJson(position.cursor.cursor_value).value_or(protocol::Json()));
    }
  }
  if (!out.error) {
    live->phase = StreamLive::kCompleted;
    return finish(state::StreamStatus::kCompleted);
  }
  const bool cancelled = env.control->cancelled() && env.control->reason() == RunControl::Reason::kUser;
  live->phase = cancelled ? StreamLive::kCancelled : StreamLive::kFailed;
  return finish(cancelled ? state::StreamStatus::kCancelled : state::StreamStatus::kFailed);
}

}  // namespace rapidbyte::engine
