// PerfTimer: accumulates wall-clock seconds per phase for ReadPerf / WritePerf (SPEC §7.6,
// §8.8). The monotonic clock is a WASI clock the sandbox allows. Portable; not thread-safe.
#pragma once

#include <chrono>

namespace rapidbyte::sdk {

class PerfTimer {
 public:
  /// Start (or restart) measuring.
  void Start() {
    start_ = Clock::now();
    running_ = true;
  }
  /// Add the time since Start() to the total; no-op when not running.
  void Stop() {
    if (!running_) return;
    total_ += std::chrono::duration<double>(Clock::now() - start_).count();
    running_ = false;
  }
  /// Seconds accumulated so far, including a running interval.
  double seconds() const {
    if (!running_) return total_;
    return total_ + std::chrono::duration<double>(Clock::now() - start_).count();
  }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_{};
  double total_ = 0;
  bool running_ = false;
};

/// Runs a PerfTimer for the lifetime of a scope.
class ScopedPerf {
 public:
  explicit ScopedPerf(PerfTimer* timer) : timer_(timer) { timer_->Start(); }
  ~ScopedPerf() { timer_->Stop(); }
  ScopedPerf(const ScopedPerf&) = delete;
  ScopedPerf& operator=(const ScopedPerf&) = delete;

 private:
  PerfTimer* timer_;
};

}  // namespace rapidbyte::sdk
