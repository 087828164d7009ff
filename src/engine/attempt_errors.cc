// The root cause of an attempt (SPEC §5.6).
#include "engine/attempt_errors.h"

#include <algorithm>

#include "base/log.h"

namespace rapidbyte::engine {

using protocol::ConnectorError;
using protocol::ErrorCategory;

void AttemptErrors::Record(std::string stage, ConnectorError error, bool host_side,
                           bool consequence) {
  StageError e{std::move(stage), std::move(error), host_side, consequence, ++order_};
  if (consequence) {
    Log(LogLevel::kDebug, "also failed as a consequence: " + e.Describe(), {{"stream", stream_}});
  }
  std::lock_guard<std::mutex> lock(mu_);
  errors_.push_back(std::move(e));
}

void AttemptErrors::Decide(const Ending& ending, AttemptResult* r) const {
  std::vector<StageError> errors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    errors = errors_;
  }
  std::sort(errors.begin(), errors.end(),
            [](const StageError& a, const StageError& b) { return a.order < b.order; });
  for (auto& e : errors) {
    if (!r->root_cause && !e.consequence) {
      r->root_cause = e;
    } else {
      r->consequences.push_back(e);
    }
  }
  r->cancelled = ending.cancelled_by_run && !ending.all_ok;
  // A cancel or timeout that arrives after every stage succeeded (say, while a connector is
  // closing) finds the stream's work committed: the result stands.
  if (!r->root_cause && r->cancelled) {
    StageError e;
    e.stage = "Run";
    e.error = ending.timeout
                  ? ConnectorError::Make(ErrorCategory::kInternal, "TIMEOUT",
                                         "run exceeded resources.timeout_seconds (" +
                                             std::to_string(ending.timeout_seconds) + " s)")
                  : ConnectorError::Make(ErrorCategory::kCancelled, "CANCELLED", "run cancelled");
    e.host_side = true;
    r->root_cause = e;
  }
  if (!r->root_cause && !errors.empty()) r->root_cause = errors.front();
  r->ok = ending.all_ok && !r->root_cause;
}

}  // namespace rapidbyte::engine
