// FrameChannel: the bounded queue of frames between two stages (SPEC §5.3). A producer
// blocks while it is full (backpressure), a consumer while it is empty. End of stream and
// upstream failure are different signals; a failed consumer cancels producers.
//
// Thread-safe: one producer thread and one consumer thread (more are harmless).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "plugin/cancellation.h"

namespace rapidbyte::plugin {

using Frame = std::vector<std::uint8_t>;
/// Spare capacity a frame copied from a guest gets, so the engine can append its own
/// trailer (sequence numbers, sizes) without reallocating the frame.
inline constexpr std::size_t kFrameTrailerReserve = 64;

class FrameChannel {
 public:
  enum class SendResult { kOk, kCancelled };
  enum class ReceiveResult { kFrame, kEnd, kUpstreamFailed, kCancelled };

  /// `capacity` frames (≥ 1); `cancel` (may be null) aborts waits on either side.
  FrameChannel(std::size_t capacity, std::shared_ptr<CancellationToken> cancel);

  /// Append a frame, waiting while the channel is full.
  SendResult Send(Frame frame);
  /// Take the next frame, waiting while the channel is empty and the producer is active.
  ReceiveResult Receive(Frame* out);

  /// The producer finished successfully: the consumer gets kEnd after the queued frames.
  void Finish();
  /// The producer failed: queued frames are dropped, the consumer gets kUpstreamFailed.
  void FailProducer();
  /// The consumer failed or stopped: producers get kCancelled.
  void FailConsumer();

  std::uint64_t frames_sent() const;

  /// A consumed frame's buffer for the producer to fill again (empty, its capacity kept), or
  /// an empty frame when there is none. Reusing buffers spares a fresh allocation per frame:
  /// frames are large enough to be mmapped, and every new mapping faults its pages in.
  Frame TakeSpare();
  /// The consumer is done with `frame`: keep its buffer for TakeSpare (at most kMaxSpares;
  /// more are freed).
  void ReturnSpare(Frame frame);
  static constexpr std::size_t kMaxSpares = 2;

 private:
  const std::size_t capacity_;
  std::shared_ptr<CancellationToken> cancel_;
  mutable std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Frame> queue_;
  std::vector<Frame> spares_;
  bool finished_ = false;
  bool producer_failed_ = false;
  bool consumer_failed_ = false;
  std::uint64_t frames_sent_ = 0;
};

}  // namespace rapidbyte::plugin
