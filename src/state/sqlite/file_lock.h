// FileLockProvider: the SQLite backend's pipeline lock (SPEC §6.3), an exclusive
// non-blocking flock on `<state file>.locks/<LockFileStem(pipeline)>.lock`. flock locks
// belong to an open file description, so the kernel drops them when the process dies, and two
// backends in one process conflict just as two processes do. Lock files are never deleted
// (deleting one could let two runs lock different inodes). [host]
#pragma once

#include <string>

#include "state/lock_provider.h"

namespace rapidbyte::state {

class FileLockProvider final : public LockProvider {
 public:
  /// `directory`: where the lock files live; created on first use.
  explicit FileLockProvider(std::string directory) : directory_(std::move(directory)) {}

  Result<std::unique_ptr<PipelineLock>> TryAcquire(const std::string& pipeline) override;
  /// Probes with a shared try-lock that is released at once. A run starting during that
  /// instant is refused as if the prober held the lock; probes are rare (check, state show).
  Result<bool> IsHeld(const std::string& pipeline) override;

 private:
  std::string LockPath(const std::string& pipeline) const;

  std::string directory_;
};

}  // namespace rapidbyte::state
