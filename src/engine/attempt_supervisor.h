// AttemptSupervisor: the stream's own thread while its stages run (SPEC §5.6). It waits for
// every stage thread to finish, cancels the attempt on the first real failure or a run-wide
// cancel, force-stops connectors that outlive cancel_grace_seconds, and gives up on threads
// that cannot be stopped. Apart from the rest of the attempt because it is the only piece
// that decides *when* to cancel or stop; what cancelling does is the attempt's business,
// handed in as callbacks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

#include "engine/run_control.h"

namespace rapidbyte::engine {

class AttemptSupervisor {
 public:
  /// A stage's thread has finished.
  void StageDone();
  /// An error was recorded; a non-consequence one makes the supervisor cancel the attempt.
  void ErrorRecorded(bool consequence);

  struct Actions {
    std::function<void()> cancel;      // cancel the attempt (stages see -3)
    std::function<void()> force_stop;  // stop every live instance now
  };
  /// Block until `stages` stages are done. False when a stage thread could not be stopped
  /// (its thread must then be abandoned).
  bool Supervise(std::size_t stages, std::chrono::seconds grace, const RunControl& control,
                 const Actions& actions);
  /// Whether the run (not a failure) cancelled the attempt.
  bool cancelled_by_run() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::size_t done_ = 0;
  bool any_failure_ = false;
  bool cancelled_by_run_ = false;
};

}  // namespace rapidbyte::engine
