// CancellationToken: a flag shared by every stage of a stream attempt. Once cancelled it
// stays cancelled. Blocking host calls poll it while they wait.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rapidbyte::plugin {

class CancellationToken {
 public:
  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_.store(true);
    }
    cv_.notify_all();
  }
  bool cancelled() const { return cancelled_.load(); }
  /// The flag itself, for code that polls an atomic (net::TcpConnection).
  const std::atomic<bool>* flag() const { return &cancelled_; }

  /// Sleep up to `d`; return early (true) when cancelled.
  bool WaitFor(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, d, [this] { return cancelled_.load(); });
  }

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace rapidbyte::plugin
