// CheckpointTracker: coverage bookkeeping of one stream attempt (SPEC §5.5). It decides
// which source checkpoint the destination has durably committed, so that a stored position
// never moves past committed data (G1), and it supplies the covered position for commit
// tokens.
//
//  * The source side reports its frames (OnSourceFrame, seq 1, 2, ...) and checkpoints
//    (OnSourceCheckpoint); each checkpoint is tied to after_seq, the seq of the last frame
//    the source emitted before it.
//  * The destination side reports the src_seq of every frame it takes (OnDestReceived),
//    end-of-stream (OnDestEndOfStream) and its checkpoints (OnDestCheckpoint). A destination
//    checkpoint confirms coverage up to the src_seq of the last frame received, or
//    everything after end-of-stream.
//  * A position is persisted only when confirmed: OnDestCheckpoint returns the latest source
//    checkpoint within the confirmed coverage, and OnSourceCheckpoint returns a checkpoint
//    that arrives already covered; each only when newer than the one returned before. The
//    caller persists what it gets (skipping checkpoints without a position, and ones not
//    newer than the stored position). Source checkpoints alone never yield anything.
//
// Memory stays bounded: checkpoints older than the latest one covered by what the
// destination has received can never be returned again and are dropped.
//
// Thread-safe: the source, destination and commit-token calls come from different threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

#include "engine/core/checkpoint.h"

namespace rapidbyte::engine {

class CheckpointTracker {
 public:
  // Source side.
  /// The source emitted frame `seq` (increasing from 1).
  void OnSourceFrame(std::uint64_t seq);
  /// Record a source checkpoint (after_seq and index are filled in here). Returns it when
  /// a destination checkpoint already covers it: persist it now.
  std::optional<SourceCheckpoint> OnSourceCheckpoint(SourceCheckpoint checkpoint);
  /// The source's run call returned successfully: nothing follows its last frame.
  void OnSourceReturned();

  // Destination side.
  /// The destination took a frame carrying coverage mark `src_seq`.
  void OnDestReceived(std::uint64_t src_seq);
  /// The destination took end-of-stream: it has received everything the source emitted.
  void OnDestEndOfStream();
  /// A destination checkpoint: everything received so far is committed. Returns the latest
  /// source checkpoint within that coverage if newer than the last one returned.
  std::optional<SourceCheckpoint> OnDestCheckpoint();

  // Commit tokens.
  /// The latest source checkpoint covered by what the destination has received so far
  /// (everything after end-of-stream), whether or not it is committed yet.
  std::optional<SourceCheckpoint> CoveredPosition() const;
  /// The src_seq of the last frame the destination took (0: none).
  std::uint64_t last_received_src_seq() const;
  bool dest_end_of_stream() const;

  /// Whether the source has reported what follows frame `src_seq`: a checkpoint after it,
  /// a later frame, or its return. Then the covered position ends exactly at that frame.
  bool SourceReportedAfter(std::uint64_t src_seq) const;
  enum class WaitResult { kReady, kCancelled, kTimedOut };
  /// Block until SourceReportedAfter(src_seq), `cancelled()` returns true (polled at least
  /// every `poll`, and after Interrupt()), or `timeout` passes (none: wait indefinitely).
  WaitResult WaitForSourceAfter(std::uint64_t src_seq, const std::function<bool()>& cancelled,
                                std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                                std::chrono::milliseconds poll = std::chrono::milliseconds(20));
  /// Wake every waiter so it re-checks its cancel predicate now (call after cancelling).
  void Interrupt();

  /// The checkpoint returned last for persisting, if any.
  std::optional<SourceCheckpoint> last_returned() const;
  /// Source checkpoints recorded so far (including dropped ones).
  std::uint64_t source_checkpoint_count() const;

 private:
  // All under mu_.
  std::optional<SourceCheckpoint> LatestWithin(std::uint64_t coverage) const;
  std::optional<SourceCheckpoint> TakeIfNewer(std::optional<SourceCheckpoint> candidate);
  std::uint64_t ReceivedCoverage() const;
  void Prune();

  mutable std::mutex mu_;
  std::condition_variable changed_;
  // Recorded checkpoints in arrival order; after_seq never decreases along the deque.
  std::deque<SourceCheckpoint> checkpoints_;
  std::uint64_t next_index_ = 1;
  std::uint64_t last_source_seq_ = 0;
  std::optional<std::uint64_t> last_checkpoint_after_seq_;
  bool source_returned_ = false;
  std::uint64_t last_received_ = 0;
  bool dest_eos_ = false;
  std::optional<std::uint64_t> confirmed_;  // coverage confirmed by a destination checkpoint
  std::optional<SourceCheckpoint> last_returned_;
};

}  // namespace rapidbyte::engine
