// FrameChannel implementation. Waits wake at least every 50 ms to observe cancellation of
// the shared token without coupling the token to every channel.
#include "plugin/frame_channel.h"

#include <chrono>

namespace rapidbyte::plugin {
namespace {
constexpr auto kPollInterval = std::chrono::milliseconds(50);
}  // namespace

FrameChannel::FrameChannel(std::size_t capacity, std::shared_ptr<CancellationToken> cancel)
    : capacity_(capacity == 0 ? 1 : capacity), cancel_(std::move(cancel)) {}

FrameChannel::SendResult FrameChannel::Send(Frame frame) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (consumer_failed_ || (cancel_ && cancel_->cancelled())) return SendResult::kCancelled;
    if (queue_.size() < capacity_) break;
    not_full_.wait_for(lock, kPollInterval);
  }
  queue_.push_back(std::move(frame));
  ++frames_sent_;
  lock.unlock();
  not_empty_.notify_one();
  return SendResult::kOk;
}

FrameChannel::ReceiveResult FrameChannel::Receive(Frame* out) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (producer_failed_) return ReceiveResult::kUpstreamFailed;
    if (cancel_ && cancel_->cancelled()) return ReceiveResult::kCancelled;
    if (!queue_.empty()) break;
    if (finished_) return ReceiveResult::kEnd;
    not_empty_.wait_for(lock, kPollInterval);
  }
  *out = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  not_full_.notify_one();
  return ReceiveResult::kFrame;
}

void FrameChannel::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
  }
  not_empty_.notify_all();
}

void FrameChannel::FailProducer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    producer_failed_ = true;
    queue_.clear();
  }
  not_empty_.notify_all();
  not_full_.notify_all();
}

void FrameChannel::FailConsumer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    consumer_failed_ = true;
    queue_.clear();
  }
  not_full_.notify_all();
  not_empty_.notify_all();
}

std::uint64_t FrameChannel::frames_sent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return frames_sent_;
}

Frame FrameChannel::TakeSpare() {
  std::lock_guard<std::mutex> lock(mu_);
  if (spares_.empty()) return Frame();
  Frame frame = std::move(spares_.back());
  spares_.pop_back();
  frame.clear();
  return frame;
}

void FrameChannel::ReturnSpare(Frame frame) {
  if (frame.capacity() == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (spares_.size() < kMaxSpares) spares_.push_back(std::move(frame));
}

}  // namespace rapidbyte::plugin
