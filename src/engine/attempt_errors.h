// AttemptErrors: every error of one stream attempt in the order it happened, and the root
// cause decided from them (SPEC §5.6). Apart from the rest of the attempt because the rule
// — the earliest error that is not a consequence, else CANCELLED or TIMEOUT — is the one
// thing retries and the report depend on, and it needs nothing but the errors.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "engine/stream_attempt.h"

namespace rapidbyte::engine {

class AttemptErrors {
 public:
  explicit AttemptErrors(std::string stream) : stream_(std::move(stream)) {}

  /// Record a stage's error (any thread); consequences are logged at debug.
  void Record(std::string stage, protocol::ConnectorError error, bool host_side, bool consequence);

  /// How the attempt ended besides its errors.
  struct Ending {
    bool all_ok = false;            // every stage succeeded
    bool cancelled_by_run = false;  // the run (user or timeout) cancelled the attempt
    bool timeout = false;           // ... because of resources.timeout_seconds
    std::int64_t timeout_seconds = 0;
  };
  /// Fill r.root_cause, r.consequences, r.cancelled and r.ok.
  void Decide(const Ending& ending, AttemptResult* r) const;

 private:
  const std::string stream_;
  std::atomic<std::uint64_t> order_{0};
  mutable std::mutex mu_;
  std::vector<StageError> errors_;
};

}  // namespace rapidbyte::engine
