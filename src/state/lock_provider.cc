// InProcessLockProvider (see lock_provider.h).
#include "state/lock_provider.h"

namespace rapidbyte::state {

// Shares the table so that a lock may outlive its provider safely.
class InProcessLockProvider::Lock final : public PipelineLock {
 public:
  Lock(std::shared_ptr<Table> table, std::string pipeline)
      : table_(std::move(table)), pipeline_(std::move(pipeline)) {}
  ~Lock() override {
    std::lock_guard<std::mutex> guard(table_->mu);
    table_->held.erase(pipeline_);
  }

 private:
  std::shared_ptr<Table> table_;
  std::string pipeline_;
};

Result<std::unique_ptr<PipelineLock>> InProcessLockProvider::TryAcquire(
    const std::string& pipeline) {
  std::lock_guard<std::mutex> guard(table_->mu);
  if (!table_->held.insert(pipeline).second) return std::unique_ptr<PipelineLock>();
  return std::unique_ptr<PipelineLock>(std::make_unique<Lock>(table_, pipeline));
}

Result<bool> InProcessLockProvider::IsHeld(const std::string& pipeline) {
  std::lock_guard<std::mutex> guard(table_->mu);
  return table_->held.count(pipeline) > 0;
}

}  // namespace rapidbyte::state
