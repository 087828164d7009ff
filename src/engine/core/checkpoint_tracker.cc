// Coverage bookkeeping of a stream attempt (SPEC §5.5).
#include "engine/core/checkpoint_tracker.h"

#include <algorithm>
#include <limits>

namespace rapidbyte::engine {
namespace {
constexpr std::uint64_t kEverything = std::numeric_limits<std::uint64_t>::max();
}  // namespace

void CheckpointTracker::OnSourceFrame(std::uint64_t seq) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_source_seq_ = std::max(last_source_seq_, seq);
  }
  changed_.notify_all();
}

std::optional<SourceCheckpoint> CheckpointTracker::OnSourceCheckpoint(SourceCheckpoint checkpoint) {
  std::optional<SourceCheckpoint> persist;
  {
    std::lock_guard<std::mutex> lock(mu_);
    checkpoint.after_seq = last_source_seq_;
    checkpoint.index = next_index_++;
    last_checkpoint_after_seq_ = checkpoint.after_seq;
    checkpoints_.push_back(std::move(checkpoint));
    const SourceCheckpoint& added = checkpoints_.back();
    // The destination may have committed this frame already (it can run ahead of the
    // source's checkpoint call); then the newest checkpoint is persistable at once.
    if (confirmed_ && added.after_seq <= *confirmed_) persist = TakeIfNewer(added);
    Prune();
  }
  changed_.notify_all();
  return persist;
}

void CheckpointTracker::OnSourceReturned() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    source_returned_ = true;
  }
  changed_.notify_all();
}

void CheckpointTracker::OnDestReceived(std::uint64_t src_seq) {
  std::lock_guard<std::mutex> lock(mu_);
  last_received_ = std::max(last_received_, src_seq);
  Prune();
}

void CheckpointTracker::OnDestEndOfStream() {
  std::lock_guard<std::mutex> lock(mu_);
  dest_eos_ = true;
  Prune();
}

std::optional<SourceCheckpoint> CheckpointTracker::OnDestCheckpoint() {
  std::lock_guard<std::mutex> lock(mu_);
  const std::uint64_t coverage = ReceivedCoverage();
  confirmed_ = std::max(confirmed_.value_or(0), coverage);
  return TakeIfNewer(LatestWithin(*confirmed_));
}

std::optional<SourceCheckpoint> CheckpointTracker::CoveredPosition() const {
  std::lock_guard<std::mutex> lock(mu_);
  return LatestWithin(ReceivedCoverage());
}

std::uint64_t CheckpointTracker::last_received_src_seq() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_received_;
}

bool CheckpointTracker::dest_end_of_stream() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dest_eos_;
}

bool CheckpointTracker::SourceReportedAfter(std::uint64_t src_seq) const {
  std::lock_guard<std::mutex> lock(mu_);
  return source_returned_ || last_source_seq_ > src_seq ||
         (last_checkpoint_after_seq_ && *last_checkpoint_after_seq_ >= src_seq);
}

CheckpointTracker::WaitResult CheckpointTracker::WaitForSourceAfter(
    std::uint64_t src_seq, const std::function<bool()>& cancelled,
    std::optional<std::chrono::milliseconds> timeout, std::chrono::milliseconds poll) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  poll = std::max(poll, std::chrono::milliseconds(1));
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (source_returned_ || last_source_seq_ > src_seq ||
        (last_checkpoint_after_seq_ && *last_checkpoint_after_seq_ >= src_seq)) {
      return WaitResult::kReady;
    }
    if (cancelled && cancelled()) return WaitResult::kCancelled;
    auto step = poll;
    if (timeout) {
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      if (elapsed >= *timeout) return WaitResult::kTimedOut;
      step = std::min(step, *timeout - elapsed);
    }
    changed_.wait_for(lock, step);
  }
}

void CheckpointTracker::Interrupt() {
  // Taking the lock orders this after a waiter's predicate check, so the wake-up is not lost.
  { std::lock_guard<std::mutex> lock(mu_); }
  changed_.notify_all();
}

std::optional<SourceCheckpoint> CheckpointTracker::last_returned() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_returned_;
}

std::uint64_t CheckpointTracker::source_checkpoint_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_index_ - 1;
}

std::optional<SourceCheckpoint> CheckpointTracker::LatestWithin(std::uint64_t coverage) const {
  // after_seq is non-decreasing along the deque, so the answer is the last entry within.
  for (auto it = checkpoints_.rbegin(); it != checkpoints_.rend(); ++it) {
    if (it->after_seq <= coverage) return *it;
  }
  return std::nullopt;
}

std::optional<SourceCheckpoint> CheckpointTracker::TakeIfNewer(
    std::optional<SourceCheckpoint> candidate) {
  if (!candidate) return std::nullopt;
  if (last_returned_ && candidate->index <= last_returned_->index) return std::nullopt;
  last_returned_ = candidate;
  return candidate;
}

std::uint64_t CheckpointTracker::ReceivedCoverage() const {
  return dest_eos_ ? kEverything : last_received_;
}

void CheckpointTracker::Prune() {
  // Coverage only grows, so an entry followed by another already within the received
  // coverage can never be the latest within any future coverage.
  const std::uint64_t coverage = ReceivedCoverage();
  while (checkpoints_.size() >= 2 && checkpoints_[1].after_seq <= coverage) {
    checkpoints_.pop_front();
  }
}

}  // namespace rapidbyte::engine
