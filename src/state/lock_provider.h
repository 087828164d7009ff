// LockProvider: how a backend takes the per-pipeline run lock of SPEC §6.3 (a flock'ed file
// for SQLite, an advisory lock for PostgreSQL, an in-process set for the in-memory backend).
// The shared backend turns "held elsewhere" into the "already running" message. [host]
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "base/result.h"
#include "state/state_backend.h"

namespace rapidbyte::state {

/// Thread-safe.
class LockProvider {
 public:
  virtual ~LockProvider() = default;
  /// The lock, or nullptr when someone else holds it (this backend's own earlier lock
  /// included: one run per pipeline). Never waits.
  virtual Result<std::unique_ptr<PipelineLock>> TryAcquire(const std::string& pipeline) = 0;
  /// Whether anyone (this backend included) holds the lock now.
  virtual Result<bool> IsHeld(const std::string& pipeline) = 0;
};

/// Locks that live in this process only (in-memory state, SPEC §6.4 `check`).
class InProcessLockProvider final : public LockProvider {
 public:
  Result<std::unique_ptr<PipelineLock>> TryAcquire(const std::string& pipeline) override;
  Result<bool> IsHeld(const std::string& pipeline) override;

 private:
  struct Table {
    std::mutex mu;
    std::set<std::string> held;
  };
  class Lock;
  std::shared_ptr<Table> table_ = std::make_shared<Table>();
};

}  // namespace rapidbyte::state
