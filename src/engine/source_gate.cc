// The source gate (SPEC §4.4, §5.5).
#include "engine/source_gate.h"

#include <chrono>

namespace rapidbyte::engine {

void SourceGate::Open(bool complete) {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = true;
  complete_ = complete_ || complete;
  changed_.notify_all();
}

bool SourceGate::Wait(const plugin::CancellationToken& cancel, bool* complete) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!open_ && !cancel.cancelled()) {
    changed_.wait_for(lock, std::chrono::milliseconds(50));
  }
  *complete = complete_;
  return open_ && !complete_ && !cancel.cancelled();
}

void SourceGate::Wake() {
  std::lock_guard<std::mutex> lock(mu_);
  changed_.notify_all();
}

}  // namespace rapidbyte::engine
