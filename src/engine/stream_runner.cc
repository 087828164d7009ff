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

// Add an attempt's committed changes, the last value of each changes_* counter of the
// destination (a connector's figure: a negative one counts as none).
void AddChanges(const std::map<std::string, double>& metrics, ChangeCounts* changes) {
  const auto counter = [&](const char* name) -> std::uint64_t {
    const auto it = metrics.find(std::string("destination.") + name);
    return it == metrics.end() || !(it->second > 0) ? 0 : static_cast<std::uint64_t>(it->second);
  };
  changes->inserts += counter("changes_inserted");
  changes->updates += counter("changes_updated");
  changes->deletes += counter("changes_deleted");
  changes->truncates += counter("changes_truncated");
}

// Record the stream's outcome in its sync_run_streams row.
void WriteOutcome(const RunEnv& env, StreamOutcome& out, state::RunStreamRecord& row) {
  row.status = out.status;
  row.attempts = out.attempts;
  row.counters = CountersOf(out.totals);
  row.finished_at = state::NowIso8601();
  if (out.error) {
    row.error_category = std::string(protocol::Name(out.error->error.category));
    row.error_code = out.error->error.code;
  }
  row.error_message = out.error_message;
  if (Status st = env.state->PutRunStream(row); !st.ok()) {
    Log(LogLevel::kError, "could not record the stream's outcome: " + st.message(),
        {{"stream", out.name}});
  }
}

// Read (or create) the stream's state row into `position`. A problem is the stream's
// failure before any attempt: (code, message).
std::optional<std::pair<std::string, std::string>> LoadPosition(const RunEnv& env,
                                                                const config::StreamSpec& stream,
                                                                const std::string& name,
                                                                StreamPosition* position) {
  auto row = env.state->EnsureCursor(env.pipeline->name, name, stream.cursor_field.value_or(""));
  if (!row.ok()) return std::make_pair(std::string("STATE_BACKEND"), row.status().message());
  position->row = *row;
  if (auto conflict = position->kind->CheckRow(*row)) {
    return std::make_pair(conflict->code, conflict->message + "; run 'rapidbyte state reset " +
                                              env.pipeline->file + " --stream " + name +
                                              "' to start over");
  }
  return std::nullopt;
}

// After a failed attempt (out.error set): whether to retry and after what backoff (SPEC
// §5.7), logged; a final failure's message goes into out.error_message.
RetryDecision DecideAfter(const RunEnv& env, const AttemptResult& attempt, StreamPosition& position,
                          StreamOutcome& out, const RandomSource& random) {
  const protocol::ConnectorError& error = out.error->error;
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
    const auto stored = position.Stored();
    if (stored->has_value()) {
      context.stored_cursor_value = stored->ValueText();
      context.stored_by_run_id = stored->stamp.run_id;
    }
  }
  const RetryDecision decision = DecideRetry(failure, context, random);
  if (!decision.log_message.empty())
    Log(decision.log_level, decision.log_message, decision.log_fields);
  if (!decision.failure_message.empty())
    out.error_message = "stream " + out.name + ": " + decision.failure_message;
  return decision;
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
    WriteOutcome(env, out, row);
    return out;
  };

  StreamPosition position(MakePositionKind(stream));
  if (auto failure = LoadPosition(env, stream, out.name, &position)) {
    StageError e;
    e.stage = "Run";
    e.error = protocol::ConnectorError::Make(protocol::ErrorCategory::kInternal, failure->first,
                                             failure->second);
    e.host_side = true;
    out.error = e;
    out.error_message = "stream " + out.name + ": " + failure->second;
    live->phase = StreamLive::kFailed;
    return finish(state::StreamStatus::kFailed);
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
    AddChanges(out.metrics, &out.changes);
    Accumulate(out.totals, attempt);
    if (attempt.ok) {
      out.error.reset();
      out.error_message.clear();
      break;
    }
    out.error = attempt.root_cause;
    out.error_message = "stream " + out.name + ": " + out.error->Describe();
    const RetryDecision decision = DecideAfter(env, attempt, position, out, random);
    if (!decision.retry) break;
    row.status = state::StreamStatus::kRunning;
    row.counters = CountersOf(out.totals);
    (void)env.state->PutRunStream(row);
    if (env.control->WaitFor(std::chrono::milliseconds(decision.delay_ms))) break;
    ++out.retries;
  }
  {
    std::lock_guard<std::mutex> lock(position.mu);
    out.cursor = position.Stored()->Result();
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
