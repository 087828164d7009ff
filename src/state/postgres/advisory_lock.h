// AdvisoryLockProvider: the PostgreSQL backend's pipeline lock (SPEC §6.3),
// pg_try_advisory_lock(AdvisoryLockKey(pipeline)) on the backend's own session, so the
// server drops it if the process (or its connection) dies. Advisory locks are re-entrant
// within a session, so the keys this backend holds are also tracked here: a second TryAcquire
// of the same pipeline is refused like any other holder's. [host]
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>

#include "state/lock_provider.h"
#include "state/sql_session.h"

namespace rapidbyte::state {

class AdvisoryLockProvider final : public LockProvider {
 public:
  explicit AdvisoryLockProvider(std::shared_ptr<SharedSession> session)
      : session_(std::move(session)) {}

  Result<std::unique_ptr<PipelineLock>> TryAcquire(const std::string& pipeline) override;
  /// True when this backend holds it or pg_locks shows it granted to any session of this
  /// database.
  Result<bool> IsHeld(const std::string& pipeline) override;

  /// Keys held by this backend. Lock order: HeldKeys::mu before SharedSession::mu.
  struct HeldKeys {
    std::mutex mu;
    std::set<std::int64_t> keys;
  };

 private:
  std::shared_ptr<SharedSession> session_;
  std::shared_ptr<HeldKeys> held_ = std::make_shared<HeldKeys>();
};

}  // namespace rapidbyte::state
