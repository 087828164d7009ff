// Retry policy (SPEC §5.7): the only reader of an error's retry fields. Given the root
// cause of a failed stream attempt (SPEC §5.6) it decides whether to run another attempt,
// how long to wait first, and what to log; nothing here matches message text.
//
// Rules, first match wins:
//   1. cancellation or run timeout (or a root cause of category `cancelled`): no retry;
//   2. host-side errors (trap, memory limit, protocol violation, invalid IPC or response,
//      decompression failure, state backend, load errors): no retry;
//   3. retryable false: no retry;
//   4. safe_to_retry false or commit_state after_commit_unknown: go on to rule 5 only when
//      the destination declared exactly_once, otherwise fail with the unknown-commit message;
//   5. retry while retries so far < max_retries, then fail.
// Backoff after attempt n: retry_after_ms exactly (at most 60 s), else full jitter in
// [0, min(60 s, base × 2^(n−1))] with base fast 100 ms / normal 1 s / slow 5 s.
//
// Pure functions; the random source is injected so tests are deterministic.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/log.h"
#include "protocol/connector_error.h"

namespace rapidbyte::engine {

/// The root cause of a failed stream attempt, as the orchestrator determined it.
struct AttemptFailure {
  /// In ConnectorError form; host-produced errors use the same shape (SPEC §4.11).
  protocol::ConnectorError error;
  /// Produced by the host rather than returned by a connector (rule 2). IsHostSideCode()
  /// lists the codes SPEC names; the orchestrator knows which errors it made itself.
  bool host_side = false;
  /// The user cancelled the run (Ctrl-C, SIGTERM) or `timeout_seconds` expired (rule 1).
  bool cancelled = false;
  bool timed_out = false;
  /// The error as the "Infrastructure error" log shows it; error.Display() when empty.
  std::string display;
};

/// The stream, the attempt and the settings the decision depends on.
struct RetryContext {
  std::string pipeline;
  std::string stream;
  /// Number of the attempt that failed, 1-based (n of the backoff formula).
  int attempt = 1;
  std::int64_t retries_so_far = 0;
  std::int64_t max_retries = 3;
  /// Whether the destination instance declared exactly_once in its OpenInfo.
  bool exactly_once = false;
  /// The stored position, for the unknown-commit message: the cursor value as shown to
  /// users and the run that stored it. nullopt when no position is stored.
  std::optional<std::string> stored_cursor_value;
  std::int64_t stored_by_run_id = 0;
};

struct RetryDecision {
  bool retry = false;
  /// How long to wait before the next attempt (0 unless retry).
  std::uint64_t delay_ms = 0;
  /// The log event of SPEC §5.7, with `stream` and `pipeline` first among the fields. An
  /// empty message means there is nothing to log here (cancellation and timeout are
  /// reported at run level).
  LogLevel log_level = LogLevel::kError;
  std::string log_message;
  LogFields log_fields;
  /// Set only when rule 4 stops the stream: the user-facing error message.
  std::string failure_message;
};

/// Returns a uniformly distributed integer in [0, max_inclusive].
using RandomSource = std::function<std::uint64_t(std::uint64_t max_inclusive)>;
/// A per-thread std::mt19937_64 seeded from std::random_device.
RandomSource DefaultRandomSource();

/// A connector's retry_after_ms is honoured up to one minute: a longer ask (a hostile or
/// confused connector asking for days) would hold the run with nothing to show for it; a
/// rate limit that needs longer is better served by failing and scheduling the next run.
inline constexpr std::uint64_t kMaxRetryAfterMs = 60 * 1000;
inline constexpr std::uint64_t kMaxBackoffMs = 60 * 1000;

/// 100, 1000 or 5000.
std::uint64_t BackoffBaseMs(protocol::BackoffClass backoff);
/// min(60000, base × 2^(attempt−1)), exact for every attempt (attempt < 1 counts as 1).
std::uint64_t BackoffCapMs(protocol::BackoffClass backoff, int attempt);
/// The wait after failed attempt `attempt`: retry_after_ms clamped to [0, 60 s] when
/// present, else random(BackoffCapMs(...)).
std::uint64_t BackoffDelayMs(const protocol::ConnectorError& error, int attempt,
                             const RandomSource& random);

/// Whether `code` is one of the host-side codes of SPEC §5.7 rule 2 (CONNECTOR_TRAPPED,
/// MEMORY_LIMIT_EXCEEDED, PROTOCOL_VIOLATION, INVALID_IPC, INVALID_RESPONSE,
/// DECOMPRESSION_FAILED, STATE_BACKEND, LOAD_FAILED).
bool IsHostSideCode(std::string_view code);

/// "The outcome of the last commit of stream <name> is unknown (<message>). ..." (rule 4).
std::string UnknownCommitMessage(const RetryContext& context, std::string_view error_message);

RetryDecision DecideRetry(const AttemptFailure& failure, const RetryContext& context,
                          const RandomSource& random);

}  // namespace rapidbyte::engine
