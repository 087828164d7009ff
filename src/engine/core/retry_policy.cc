// Retry decisions and backoff (SPEC §5.7).
#include "engine/core/retry_policy.h"

#include <algorithm>
#include <array>
#include <random>

namespace rapidbyte::engine {
namespace {

using protocol::CommitState;
using protocol::ConnectorError;

std::string CommitStateText(const ConnectorError& e) {
  return e.commit_state ? std::string(protocol::Name(*e.commit_state)) : "none";
}

LogFields BaseFields(const RetryContext& c) {
  return {{"stream", c.stream}, {"pipeline", c.pipeline}};
}

RetryDecision Fail(LogLevel level, std::string message, LogFields fields) {
  RetryDecision d;
  d.log_level = level;
  d.log_message = std::move(message);
  d.log_fields = std::move(fields);
  return d;
}

}  // namespace

RandomSource DefaultRandomSource() {
  return [](std::uint64_t max_inclusive) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_int_distribution<std::uint64_t>(0, max_inclusive)(engine);
  };
}

std::uint64_t BackoffBaseMs(protocol::BackoffClass backoff) {
  switch (backoff) {
    case protocol::BackoffClass::kFast: return 100;
    case protocol::BackoffClass::kNormal: return 1000;
    case protocol::BackoffClass::kSlow: return 5000;
  }
  return 1000;
}

std::uint64_t BackoffCapMs(protocol::BackoffClass backoff, int attempt) {
  const std::uint64_t base = BackoffBaseMs(backoff);
  const int shift = std::max(attempt, 1) - 1;
  // Every base is ≥ 1 ms, so from 2^16 on the product exceeds 60 s; stopping there keeps the
  // shift far from the width of the type.
  if (shift >= 16) return kMaxBackoffMs;
  return std::min(kMaxBackoffMs, base << shift);
}

std::uint64_t BackoffDelayMs(const ConnectorError& error, int attempt,
                             const RandomSource& random) {
  if (error.retry_after_ms) {
    const std::int64_t ms = *error.retry_after_ms;
    if (ms <= 0) return 0;
    return std::min(static_cast<std::uint64_t>(ms), kMaxRetryAfterMs);
  }
  const std::uint64_t cap = BackoffCapMs(error.backoff_class, attempt);
  // Clamp, so a faulty source cannot stretch the wait past the window.
  return std::min(random(cap), cap);
}

bool IsHostSideCode(std::string_view code) {
  static constexpr std::array<std::string_view, 8> kCodes = {
      "CONNECTOR_TRAPPED", "MEMORY_LIMIT_EXCEEDED", "PROTOCOL_VIOLATION", "INVALID_IPC",
      "INVALID_RESPONSE",  "DECOMPRESSION_FAILED",  "STATE_BACKEND",      "LOAD_FAILED"};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

std::string UnknownCommitMessage(const RetryContext& context, std::string_view error_message) {
  std::string text = "The outcome of the last commit of stream " + context.stream +
                     " is unknown (" + std::string(error_message) +
                     "). The destination does not declare exactly_once, so rapidbyte will not "
                     "retry automatically. ";
  if (context.stored_cursor_value) {
    text += "Check whether the destination holds the rows after cursor " +
            *context.stored_cursor_value + " (stored by run #" +
            std::to_string(context.stored_by_run_id) + ")";
  } else {
    // No position yet: a rerun reads the stream from its start.
    text += "Check whether the destination holds the rows of this stream (no position is "
            "stored yet)";
  }
  return text + "; if not, run again; if it does, rows may be duplicated by a rerun.";
}

RetryDecision DecideRetry(const AttemptFailure& failure, const RetryContext& context,
                          const RandomSource& random) {
  const ConnectorError& e = failure.error;
  const std::string category(protocol::Name(e.category));
  LogFields fields = BaseFields(context);

  // Rule 1: cancellation and timeout end the stream quietly; the run reports them.
  if (failure.cancelled || failure.timed_out || e.category == protocol::ErrorCategory::kCancelled) {
    return RetryDecision{};
  }
  // Rule 2: the host itself failed or caught the connector misbehaving.
  if (failure.host_side) {
    const std::string shown = failure.display.empty() ? e.Display() : failure.display;
    fields.emplace_back("category", category);
    fields.emplace_back("code", e.code);
    return Fail(LogLevel::kError, "Infrastructure error, failing pipeline: " + shown,
                std::move(fields));
  }
  // Rule 3.
  if (!e.retryable) {
    fields.emplace_back("category", category);
    fields.emplace_back("code", e.code);
    if (e.commit_state) {
      fields.emplace_back("commit_state", CommitStateText(e));
      return Fail(LogLevel::kError, "Non-retryable error with commit_state", std::move(fields));
    }
    return Fail(LogLevel::kError, "Non-retryable connector error, failing pipeline",
                std::move(fields));
  }
  // Rule 4: replaying might duplicate a commit that did happen; only a destination that
  // deduplicates through its commit record may try again.
  const bool outcome_unknown =
      !e.safe_to_retry || e.commit_state == CommitState::kAfterCommitUnknown;
  if (outcome_unknown && !context.exactly_once) {
    fields.emplace_back("category", category);
    fields.emplace_back("code", e.code);
    fields.emplace_back("commit_state", CommitStateText(e));
    fields.emplace_back("safe_to_retry", e.safe_to_retry ? "true" : "false");
    RetryDecision d =
        Fail(LogLevel::kError, "Commit outcome unknown; not retrying", std::move(fields));
    d.failure_message = UnknownCommitMessage(context, e.message);
    return d;
  }
  // Rule 5.
  fields.emplace_back("attempt", std::to_string(context.attempt));
  fields.emplace_back("max_retries", std::to_string(context.max_retries));
  if (context.retries_so_far >= context.max_retries) {
    fields.emplace_back("commit_state", CommitStateText(e));
    return Fail(LogLevel::kError, "Max retries exhausted, failing pipeline", std::move(fields));
  }
  RetryDecision d;
  d.retry = true;
  d.delay_ms = BackoffDelayMs(e, context.attempt, random);
  d.log_level = LogLevel::kWarn;
  fields.emplace_back("delay_ms", std::to_string(d.delay_ms));
  fields.emplace_back("category", category);
  fields.emplace_back("code", e.code);
  if (e.commit_state) {
    fields.emplace_back("commit_state", CommitStateText(e));
    fields.emplace_back("safe_to_retry", e.safe_to_retry ? "true" : "false");
    d.log_message = "Retryable error with commit_state, will retry";
  } else {
    d.log_message = "Retryable error, will retry";
  }
  d.log_fields = std::move(fields);
  return d;
}

}  // namespace rapidbyte::engine
