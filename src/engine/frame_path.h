// FramePath: one channel between two stages plus what the host does to every frame on it
// (SPEC §5.3, §5.4): on emit it checks the IPC framing and the schema, counts rows, assigns
// the sequence number, compresses and appends a small trailer; on receive it strips the
// trailer and decompresses, exactly once per frame. Connectors only see plain IPC.
//
// Thread-safe: OnEmit runs on the producer's thread, OnReceive on the consumer's; the
// statistics are atomics that the progress display reads from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "arrow/schema.h"
#include "base/status.h"
#include "engine/core/compression.h"
#include "plugin/frame_channel.h"

namespace rapidbyte::engine {

/// What the host knows of a frame (carried in its trailer).
struct FrameInfo {
  std::uint64_t seq = 0;      // 1, 2, ... per channel
  std::uint64_t src_seq = 0;  // the source frame this frame covers up to (SPEC §5.5)
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;    // uncompressed IPC bytes
};

struct ChannelStats {
  std::atomic<std::uint64_t> frames{0};
  std::atomic<std::uint64_t> rows{0};
  std::atomic<std::uint64_t> bytes{0};             // uncompressed
  std::atomic<std::uint64_t> compressed_bytes{0};  // 0 without compression
  std::atomic<std::uint64_t> compress_ns{0};
  std::atomic<std::uint64_t> decompress_ns{0};
};

class FramePath {
 public:
  FramePath(Codec codec, std::size_t capacity, std::shared_ptr<plugin::CancellationToken> cancel);

  plugin::FrameChannel& channel() { return channel_; }
  const ChannelStats& stats() const { return stats_; }

  /// `src_seq` value meaning "the frame's own seq" (a source's channel).
  static constexpr std::uint64_t kOwnSeq = ~std::uint64_t{0};
  /// Producer side. `src_seq` is the coverage mark to record (kOwnSeq on a source's
  /// channel). Errors carry HostErrorDetail codes INVALID_IPC or SCHEMA_MISMATCH.
  Status OnEmit(plugin::Frame* frame, std::uint64_t src_seq, FrameInfo* info);
  /// Consumer side: restores the plain IPC bytes. DECOMPRESSION_FAILED on a bad frame.
  Status OnReceive(plugin::Frame* frame, FrameInfo* info);

 private:
  const Codec codec_;
  plugin::FrameChannel channel_;
  ChannelStats stats_;
  std::mutex mu_;  // guards schema_ and next_seq_ (one producer, but cheap and safe)
  std::shared_ptr<const arrow::Schema> schema_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace rapidbyte::engine
