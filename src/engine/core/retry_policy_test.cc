// SPEC §5.7: rule order, commit-state handling, backoff bounds and log events.
#include "engine/core/retry_policy.h"

#include <gtest/gtest.h>

#include <climits>

namespace rapidbyte::engine {
namespace {

using protocol::BackoffClass;
using protocol::CommitState;
using protocol::ConnectorError;
using protocol::ErrorCategory;

// Always the top of the window, so the bound itself is observable.
const RandomSource kMax = [](std::uint64_t max) { return max; };
const RandomSource kZero = [](std::uint64_t) { return std::uint64_t{0}; };

AttemptFailure Failure(ErrorCategory category, std::string code = "E") {
  return AttemptFailure{ConnectorError::Make(category, std::move(code), "boom"), false, false,
                        false, ""};
}

RetryContext Context(int attempt = 1, std::int64_t retries = 0, std::int64_t max = 3) {
  RetryContext c;
  c.pipeline = "p";
  c.stream = "public.users";
  c.attempt = attempt;
  c.retries_so_far = retries;
  c.max_retries = max;
  return c;
}

std::string Field(const RetryDecision& d, std::string_view key) {
  for (const auto& [k, v] : d.log_fields) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(RetryPolicyTest, CategoryDefaultsDecideRetries) {
  struct Case {
    ErrorCategory category;
    bool retry;
    std::string_view message;
  };
  const Case cases[] = {
      {ErrorCategory::kConfig, false, "Non-retryable connector error, failing pipeline"},
      {ErrorCategory::kAuth, false, "Non-retryable connector error, failing pipeline"},
      {ErrorCategory::kPermission, false, "Non-retryable connector error, failing pipeline"},
      {ErrorCategory::kData, false, "Non-retryable connector error, failing pipeline"},
      {ErrorCategory::kSchema, false, "Non-retryable connector error, failing pipeline"},
      {ErrorCategory::kInternal, false, "Non-retryable connector error, failing pipeline"},
      {ErrorCategory::kRateLimit, true, "Retryable error, will retry"},
      {ErrorCategory::kTransientNetwork, true, "Retryable error, will retry"},
      {ErrorCategory::kTransientDb, true, "Retryable error, will retry"},
  };
  for (const Case& c : cases) {
    const RetryDecision d = DecideRetry(Failure(c.category), Context(), kZero);
    EXPECT_EQ(d.retry, c.retry) << protocol::Name(c.category);
    EXPECT_EQ(d.log_message, c.message) << protocol::Name(c.category);
    EXPECT_EQ(d.log_level, c.retry ? LogLevel::kWarn : LogLevel::kError);
    EXPECT_EQ(d.log_fields.at(0), (std::pair<std::string, std::string>{"stream", "public.users"}));
    EXPECT_EQ(d.log_fields.at(1), (std::pair<std::string, std::string>{"pipeline", "p"}));
    EXPECT_TRUE(d.failure_message.empty());
  }
  // Cancelled: rule 1, nothing logged here.
  const RetryDecision d = DecideRetry(Failure(ErrorCategory::kCancelled), Context(), kZero);
  EXPECT_FALSE(d.retry);
  EXPECT_TRUE(d.log_message.empty());
}

TEST(RetryPolicyTest, CancellationAndTimeoutComeFirst) {
  for (int which = 0; which < 2; ++which) {
    AttemptFailure f = Failure(ErrorCategory::kTransientDb);
    (which == 0 ? f.cancelled : f.timed_out) = true;
    f.host_side = true;  // rule 1 wins over rule 2
    const RetryDecision d = DecideRetry(f, Context(), kZero);
    EXPECT_FALSE(d.retry);
    EXPECT_TRUE(d.log_message.empty());
    EXPECT_EQ(d.delay_ms, 0u);
  }
}

TEST(RetryPolicyTest, HostSideErrorsAreNeverRetried) {
  AttemptFailure f = Failure(ErrorCategory::kTransientNetwork, "CONNECTOR_TRAPPED");
  f.host_side = true;
  RetryDecision d = DecideRetry(f, Context(), kZero);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.log_message, "Infrastructure error, failing pipeline: " + f.error.Display());
  EXPECT_EQ(Field(d, "code"), "CONNECTOR_TRAPPED");

  f.display = "wasm trap: out of bounds memory access";
  d = DecideRetry(f, Context(), kZero);
  EXPECT_EQ(d.log_message,
            "Infrastructure error, failing pipeline: wasm trap: out of bounds memory access");
}

TEST(RetryPolicyTest, HostSideCodes) {
  for (std::string_view code :
       {"CONNECTOR_TRAPPED", "MEMORY_LIMIT_EXCEEDED", "PROTOCOL_VIOLATION", "INVALID_IPC",
        "INVALID_RESPONSE", "DECOMPRESSION_FAILED", "STATE_BACKEND", "LOAD_FAILED"}) {
    EXPECT_TRUE(IsHostSideCode(code)) << code;
  }
  EXPECT_FALSE(IsHostSideCode("COMMIT_FAILED"));
  EXPECT_FALSE(IsHostSideCode("connector_trapped"));
}

TEST(RetryPolicyTest, NonRetryableWithCommitState) {
  AttemptFailure f = Failure(ErrorCategory::kData);
  f.error.WithCommitState(CommitState::kBeforeCommit);
  const RetryDecision d = DecideRetry(f, Context(), kZero);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.log_message, "Non-retryable error with commit_state");
  EXPECT_EQ(Field(d, "commit_state"), "before_commit");
  EXPECT_EQ(Field(d, "category"), "data");
  EXPECT_EQ(Field(d, "code"), "E");
}

TEST(RetryPolicyTest, NonRetryableBeatsUnknownCommit) {
  // Rule 3 precedes rule 4: a fatal error is never described as an unknown commit.
  AttemptFailure f = Failure(ErrorCategory::kInternal);
  f.error.WithCommitState(CommitState::kAfterCommitUnknown);
  const RetryDecision d = DecideRetry(f, Context(), kZero);
  EXPECT_EQ(d.log_message, "Non-retryable error with commit_state");
  EXPECT_TRUE(d.failure_message.empty());
}

TEST(RetryPolicyTest, UnknownCommitWithoutExactlyOnceFails) {
  AttemptFailure f = Failure(ErrorCategory::kTransientDb, "COMMIT_FAILED");
  f.error.message = "connection lost during COMMIT";
  f.error.WithCommitState(CommitState::kAfterCommitUnknown);
  ASSERT_TRUE(f.error.retryable);
  RetryContext c = Context();
  c.stored_cursor_value = "42";
  c.stored_by_run_id = 7;
  const RetryDecision d = DecideRetry(f, c, kZero);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.log_level, LogLevel::kError);
  EXPECT_EQ(d.log_message, "Commit outcome unknown; not retrying");
  EXPECT_EQ(Field(d, "commit_state"), "after_commit_unknown");
  EXPECT_EQ(d.failure_message,
            "The outcome of the last commit of stream public.users is unknown (connection lost "
            "during COMMIT). The destination does not declare exactly_once, so rapidbyte will "
            "not retry automatically. Check whether the destination holds the rows after cursor "
            "42 (stored by run #7); if not, run again; if it does, rows may be duplicated by a "
            "rerun.");
}

TEST(RetryPolicyTest, UnknownCommitWithoutStoredPosition) {
  AttemptFailure f = Failure(ErrorCategory::kTransientDb);
  f.error.WithCommitState(CommitState::kAfterCommitUnknown);
  const RetryDecision d = DecideRetry(f, Context(), kZero);
  EXPECT_NE(d.failure_message.find("the rows of this stream (no position is stored yet); if not"),
            std::string::npos)
      << d.failure_message;
}

TEST(RetryPolicyTest, NotSafeToRetryWithoutCommitStateIsRuleFour) {
  AttemptFailure f = Failure(ErrorCategory::kTransientNetwork);
  f.error.safe_to_retry = false;
  EXPECT_EQ(DecideRetry(f, Context(), kZero).log_message, "Commit outcome unknown; not retrying");
  RetryContext c = Context();
  c.exactly_once = true;
  const RetryDecision d = DecideRetry(f, c, kZero);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.log_message, "Retryable error, will retry");
}

TEST(RetryPolicyTest, UnknownCommitWithExactlyOnceRetries) {
  AttemptFailure f = Failure(ErrorCategory::kTransientDb, "COMMIT_FAILED");
  f.error.WithCommitState(CommitState::kAfterCommitUnknown);
  RetryContext c = Context(2, 1, 3);
  c.exactly_once = true;
  const RetryDecision d = DecideRetry(f, c, kMax);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_ms, 2000u);  // normal, n = 2
  EXPECT_EQ(d.log_level, LogLevel::kWarn);
  EXPECT_EQ(d.log_message, "Retryable error with commit_state, will retry");
  EXPECT_EQ(Field(d, "attempt"), "2");
  EXPECT_EQ(Field(d, "max_retries"), "3");
  EXPECT_EQ(Field(d, "delay_ms"), "2000");
  EXPECT_EQ(Field(d, "category"), "transient_db");
  EXPECT_EQ(Field(d, "code"), "COMMIT_FAILED");
  EXPECT_EQ(Field(d, "commit_state"), "after_commit_unknown");
  EXPECT_EQ(Field(d, "safe_to_retry"), "false");
  EXPECT_TRUE(d.failure_message.empty());
}

TEST(RetryPolicyTest, UnknownCommitPrecedesAndThenObeysMaxRetries) {
  AttemptFailure f = Failure(ErrorCategory::kTransientDb, "COMMIT_FAILED");
  f.error.WithCommitState(CommitState::kAfterCommitUnknown);
  // Rule 4 decides before rule 5 looks at the budget.
  EXPECT_EQ(DecideRetry(f, Context(4, 3, 3), kZero).log_message,
            "Commit outcome unknown; not retrying");
  // With exactly_once, rule 5's budget still applies.
  RetryContext c = Context(4, 3, 3);
  c.exactly_once = true;
  const RetryDecision d = DecideRetry(f, c, kZero);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.log_message, "Max retries exhausted, failing pipeline");
  EXPECT_EQ(Field(d, "commit_state"), "after_commit_unknown");
  EXPECT_TRUE(d.failure_message.empty());
}

TEST(RetryPolicyTest, ConfirmedCommitStateRetriesWithoutExactlyOnce) {
  AttemptFailure f = Failure(ErrorCategory::kTransientNetwork);
  f.error.WithCommitState(CommitState::kBeforeCommit);
  const RetryDecision d = DecideRetry(f, Context(), kZero);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.log_message, "Retryable error with commit_state, will retry");
  EXPECT_EQ(Field(d, "safe_to_retry"), "true");
}

TEST(RetryPolicyTest, MaxRetriesExhausted) {
  AttemptFailure f = Failure(ErrorCategory::kTransientDb);
  EXPECT_TRUE(DecideRetry(f, Context(3, 2, 3), kZero).retry);
  const RetryDecision d = DecideRetry(f, Context(4, 3, 3), kZero);
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.log_level, LogLevel::kError);
  EXPECT_EQ(d.log_message, "Max retries exhausted, failing pipeline");
  EXPECT_EQ(Field(d, "attempt"), "4");
  EXPECT_EQ(Field(d, "max_retries"), "3");
  EXPECT_EQ(Field(d, "commit_state"), "none");
  // max_retries 0 never retries.
  EXPECT_FALSE(DecideRetry(f, Context(1, 0, 0), kZero).retry);
}

TEST(RetryPolicyTest, BackoffBoundPerClass) {
  struct Case {
    BackoffClass backoff;
    std::uint64_t n1, n2, n3;
    int first_capped;  // the first attempt whose window is the 60 s cap
  };
  const Case cases[] = {{BackoffClass::kFast, 100, 200, 400, 11},
                        {BackoffClass::kNormal, 1000, 2000, 4000, 7},
                        {BackoffClass::kSlow, 5000, 10000, 20000, 5}};
  for (const Case& c : cases) {
    EXPECT_EQ(BackoffCapMs(c.backoff, 1), c.n1);
    EXPECT_EQ(BackoffCapMs(c.backoff, 2), c.n2);
    EXPECT_EQ(BackoffCapMs(c.backoff, 3), c.n3);
    EXPECT_LT(BackoffCapMs(c.backoff, c.first_capped - 1), kMaxBackoffMs);
    EXPECT_EQ(BackoffCapMs(c.backoff, c.first_capped), kMaxBackoffMs);
    std::uint64_t previous = 0;
    for (int n = 1; n <= 200; ++n) {
      const std::uint64_t cap = BackoffCapMs(c.backoff, n);
      EXPECT_GE(cap, previous);
      EXPECT_LE(cap, kMaxBackoffMs);
      previous = cap;
    }
    EXPECT_EQ(BackoffCapMs(c.backoff, INT_MAX), kMaxBackoffMs);
    EXPECT_EQ(BackoffCapMs(c.backoff, 0), c.n1);
    EXPECT_EQ(BackoffCapMs(c.backoff, INT_MIN), c.n1);
  }
}

TEST(RetryPolicyTest, FullJitterSpansTheWindow) {
  ConnectorError e = ConnectorError::Make(ErrorCategory::kTransientDb, "E", "m");
  e.backoff_class = BackoffClass::kFast;
  EXPECT_EQ(BackoffDelayMs(e, 3, kZero), 0u);
  EXPECT_EQ(BackoffDelayMs(e, 3, kMax), 400u);
  // The window passed to the source is exactly the cap.
  std::uint64_t seen = 0;
  const RandomSource spy = [&](std::uint64_t max) {
    seen = max;
    return max / 2;
  };
  EXPECT_EQ(BackoffDelayMs(e, INT_MAX, spy), 30000u);
  EXPECT_EQ(seen, kMaxBackoffMs);
  // A misbehaving source cannot exceed the window.
  EXPECT_EQ(BackoffDelayMs(e, 1, [](std::uint64_t) { return ~std::uint64_t{0}; }), 100u);
  // The default source stays within it.
  const RandomSource real = DefaultRandomSource();
  for (int i = 0; i < 1000; ++i) EXPECT_LE(BackoffDelayMs(e, 2, real), 200u);
}

TEST(RetryPolicyTest, RetryAfterIsHonouredExactly) {
  ConnectorError e = ConnectorError::Make(ErrorCategory::kRateLimit, "RATE", "slow down");
  e.retry_after_ms = 1234;
  EXPECT_EQ(BackoffDelayMs(e, 1, kMax), 1234u);
  EXPECT_EQ(BackoffDelayMs(e, 50, kZero), 1234u);
  e.retry_after_ms = 24LL * 3600 * 1000;  // a day: capped at one minute
  EXPECT_EQ(BackoffDelayMs(e, 1, kZero), kMaxRetryAfterMs);
  EXPECT_EQ(kMaxRetryAfterMs, 60u * 1000u);
  e.retry_after_ms = 61 * 1000;
  EXPECT_EQ(BackoffDelayMs(e, 1, kZero), 60u * 1000u);
  e.retry_after_ms = -5;
  EXPECT_EQ(BackoffDelayMs(e, 1, kMax), 0u);
  e.retry_after_ms = 0;
  EXPECT_EQ(BackoffDelayMs(e, 1, kMax), 0u);

  AttemptFailure f{ConnectorError::Make(ErrorCategory::kRateLimit, "RATE", "x"), false, false,
                   false, ""};
  f.error.retry_after_ms = 45000;  // longer than a jittered first wait, honoured exactly
  RetryDecision d = DecideRetry(f, Context(), kZero);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_ms, 45000u);
  f.error.retry_after_ms = 7LL * 24 * 3600 * 1000;  // a week: the run waits one minute
  d = DecideRetry(f, Context(), kZero);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay_ms, 60000u);
}

TEST(RetryPolicyTest, RateLimitUsesSlowBackoff) {
  const AttemptFailure f = Failure(ErrorCategory::kRateLimit);
  EXPECT_EQ(DecideRetry(f, Context(1), kMax).delay_ms, 5000u);
  EXPECT_EQ(DecideRetry(f, Context(200, 0, 1000), kMax).delay_ms, 60000u);
}

}  // namespace
}  // namespace rapidbyte::engine
