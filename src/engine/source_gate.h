// SourceGate: holds the source back until the destination is ready (SPEC §4.4, §5.5). The
// destination's first rb_host_next_batch or rb_host_report_commit opens it, so the source
// starts from a position that already reflects what the destination committed; a commit
// record showing the stream complete opens it as *complete* and the source never runs.
// Its own lock: waiting at the gate must not hold up the supervisor or the error record.
#pragma once

#include <condition_variable>
#include <mutex>

#include "plugin/cancellation.h"

namespace rapidbyte::engine {

class SourceGate {
 public:
  /// The destination is ready; `complete`: the stream already completed in this run.
  void Open(bool complete);
  /// Wait until the gate opens or `cancel` fires (re-checked at least every 50 ms). True
  /// when the source may run; false when cancelled or complete (then *complete is set).
  bool Wait(const plugin::CancellationToken& cancel, bool* complete);
  /// Wake a waiter so it re-checks cancellation now.
  void Wake();

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool open_ = false;
  bool complete_ = false;
};

}  // namespace rapidbyte::engine
