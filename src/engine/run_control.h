// RunControl: run-wide cancellation (SPEC §4.9): Ctrl-C/SIGTERM or the run's timeout. Stream
// attempts poll it; backoff sleeps wait on it. A second cancel asks for connectors to be
// stopped at once rather than after their grace period.
//
// Thread-safe; Cancel() is not async-signal-safe (a signal handler sets a flag that a
// watcher thread turns into Cancel()).
#pragma once

#include <atomic>
#include <chrono>

#include "plugin/cancellation.h"

namespace rapidbyte::engine {

class RunControl {
 public:
  enum class Reason { kNone, kUser, kTimeout };

  void Cancel(Reason reason) {
    Reason expected = Reason::kNone;
    if (!reason_.compare_exchange_strong(expected, reason)) stop_now_ = true;  // a second cancel
    token_.Cancel();
  }
  bool cancelled() const { return token_.cancelled(); }

  /// `run --follow` (SPEC §14.6): cdc streams keep streaming until RequestStop().
  void set_follow(bool follow) { follow_ = follow; }
  bool follow() const { return follow_; }
  /// Ask long-running streams to finish gracefully: in-flight data is committed and the
  /// streams end as completed (the first Ctrl-C or SIGTERM of a follow run).
  void RequestStop() { stop_requested_ = true; }
  bool stop_requested() const { return stop_requested_.load(); }
  /// The flag sources poll through rb_host_is_cancelled (valid while this lives).
  const std::atomic<bool>* stop_flag() const { return &stop_requested_; }
  Reason reason() const { return reason_.load(); }
  /// A second cancel arrived: stop connectors immediately.
  bool stop_now() const { return stop_now_.load(); }
  /// Sleep up to `d`; true when cancelled meanwhile.
  bool WaitFor(std::chrono::milliseconds d) { return token_.WaitFor(d); }

 private:
  plugin::CancellationToken token_;
  std::atomic<Reason> reason_{Reason::kNone};
  std::atomic<bool> stop_now_{false};
  std::atomic<bool> stop_requested_{false};
  bool follow_ = false;
};

}  // namespace rapidbyte::engine
