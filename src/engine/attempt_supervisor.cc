// Supervising a stream attempt's stage threads (SPEC §5.6).
#include "engine/attempt_supervisor.h"

#include <optional>

namespace rapidbyte::engine {
namespace {

using Clock = std::chrono::steady_clock;

// A failed stage's consequences are given this long before the supervisor stops waiting
// for connectors that ignore cancellation and forces them to stop.
constexpr auto kPoll = std::chrono::milliseconds(50);
constexpr auto kStuckGrace = std::chrono::seconds(5);

}  // namespace

void AttemptSupervisor::StageDone() {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  changed_.notify_all();
}

void AttemptSupervisor::ErrorRecorded(bool consequence) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!consequence) any_failure_ = true;
  changed_.notify_all();
}

bool AttemptSupervisor::cancelled_by_run() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_by_run_;
}

bool AttemptSupervisor::Supervise(std::size_t stages, std::chrono::seconds grace,
                                  const RunControl& control, const Actions& actions) {
  std::optional<Clock::time_point> cancelled_at;
  std::optional<Clock::time_point> stopped_at;
  std::unique_lock<std::mutex> lock(mu_);
  while (done_ < stages) {
    changed_.wait_for(lock, kPoll);
    const bool failed = any_failure_;
    const bool run_cancelled = control.cancelled();
    if (!cancelled_at && (failed || run_cancelled)) {
      cancelled_at = Clock::now();
      if (run_cancelled && !failed) cancelled_by_run_ = true;
      lock.unlock();
      actions.cancel();
      lock.lock();
      continue;
    }
    if (cancelled_at && !stopped_at &&
        (Clock::now() - *cancelled_at > grace || control.stop_now())) {
      stopped_at = Clock::now();
      lock.unlock();
      actions.force_stop();
      lock.lock();
      continue;
    }
    if (stopped_at && Clock::now() - *stopped_at > kStuckGrace) return false;
  }
  return true;
}

}  // namespace rapidbyte::engine
