// AdvisoryLockProvider (see advisory_lock.h).
#include "state/postgres/advisory_lock.h"

#include "base/log.h"
#include "state/state_util.h"

namespace rapidbyte::state {
namespace {

/// Shares the session and the key set, so releasing stays safe after the backend is gone.
class AdvisoryLock final : public PipelineLock {
 public:
  AdvisoryLock(std::shared_ptr<SharedSession> session,
               std::shared_ptr<AdvisoryLockProvider::HeldKeys> held, std::int64_t key)
      : session_(std::move(session)), held_(std::move(held)), key_(key) {}

  ~AdvisoryLock() override {
    std::lock_guard<std::mutex> held_guard(held_->mu);
    {
      std::lock_guard<std::mutex> guard(session_->mu);
      SqlParam params[] = {SqlParam::Int(key_)};
      Result<SqlResult> result = session_->session->Run("SELECT pg_advisory_unlock($1)", params);
      // A broken session has lost the lock with the connection; nothing else to do.
      if (!result.ok()) {
        Log(LogLevel::kWarn, "state: could not release the pipeline lock",
            {{"error", result.status().ToString()}});
      }
    }
    held_->keys.erase(key_);
  }

 private:
  std::shared_ptr<SharedSession> session_;
  std::shared_ptr<AdvisoryLockProvider::HeldKeys> held_;
  std::int64_t key_;
};

}  // namespace

Result<std::unique_ptr<PipelineLock>> AdvisoryLockProvider::TryAcquire(
    const std::string& pipeline) {
  std::int64_t key = AdvisoryLockKey(pipeline);
  std::lock_guard<std::mutex> held_guard(held_->mu);
  if (held_->keys.count(key) > 0) return std::unique_ptr<PipelineLock>();
  SqlResult result;
  {
    std::lock_guard<std::mutex> guard(session_->mu);
    SqlParam params[] = {SqlParam::Int(key)};
    RB_ASSIGN_OR_RETURN(result, session_->session->Run("SELECT pg_try_advisory_lock($1)", params));
  }
  if (result.rows.size() != 1 || result.rows[0].empty() || !result.rows[0][0]) {
    return Status::Internal("state: pg_try_advisory_lock returned no row");
  }
  if (*result.rows[0][0] != "t") return std::unique_ptr<PipelineLock>();
  held_->keys.insert(key);
  return std::unique_ptr<PipelineLock>(std::make_unique<AdvisoryLock>(session_, held_, key));
}

Result<bool> AdvisoryLockProvider::IsHeld(const std::string& pipeline) {
  std::int64_t key = AdvisoryLockKey(pipeline);
  {
    std::lock_guard<std::mutex> held_guard(held_->mu);
    if (held_->keys.count(key) > 0) return true;
  }
  // pg_locks splits a bigint advisory key into classid (high half) and objid (low half),
  // with objsubid 1.
  auto bits = static_cast<std::uint64_t>(key);
  SqlParam params[] = {SqlParam::Int(static_cast<std::int64_t>(bits >> 32)),
                       SqlParam::Int(static_cast<std::int64_t>(bits & 0xFFFFFFFFu))};
  std::lock_guard<std::mutex> guard(session_->mu);
  RB_ASSIGN_OR_RETURN(
      SqlResult result,
      session_->session->Run(
          "SELECT COUNT(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted "
          "AND objsubid = 1 AND classid::bigint = $1 AND objid::bigint = $2 AND database = "
          "(SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())",
          params));
  return !result.rows.empty() && result.rows[0][0] && *result.rows[0][0] != "0";
}

}  // namespace rapidbyte::state
