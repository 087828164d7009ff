// FrameEmitter: how a source hands its rows to the host (SPEC §7.3 steps 7-8). The source
// appends rows to an arrow::RecordBatchBuilder; Full() says when the batch has reached the
// stream's byte limit or the row cap; Emit() encodes the batch as one Arrow IPC stream
// (schema, batch, end marker), sends it, counts it, reports the standard counters
// (records_read, bytes_read, batches_emitted) and resets the builder; Estimate() reports the
// rows the source expects to read (records_estimate); Checkpoint() follows
// with a source checkpoint carrying the position of the rows emitted so far. Summary() is the
// ReadSummary of what was emitted. Owns the reusable frame buffer. Single-threaded.
#pragma once

#include <cstdint>
#include <string>

#include "arrow/byte_buffer.h"
#include "arrow/record_batch_builder.h"
#include "protocol/json.h"
#include "protocol/messages.h"
#include "sdk/source.h"

namespace rapidbyte::sdk {

struct EmitTotals {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;  ///< IPC bytes handed to the host
  std::uint64_t batches = 0;
  std::uint64_t checkpoints = 0;
};

class FrameEmitter {
 public:
  /// For the stream of `context`, read by `source`; batches end at the context's
  /// limits.max_batch_bytes or at `max_batch_rows` rows, whichever comes first.
  FrameEmitter(const Source& source, const StreamContext& context,
               std::int64_t max_batch_rows = 100'000);

  /// True when `builder` holds a batch that should go out before the next row.
  bool Full(const arrow::RecordBatchBuilder& builder) const {
    return builder.num_rows() > 0 && (builder.num_rows() >= max_batch_rows_ ||
                                      builder.BufferBytes() >= max_batch_bytes_);
  }
  std::int64_t max_batch_bytes() const { return max_batch_bytes_; }
  std::int64_t max_batch_rows() const { return max_batch_rows_; }

  /// Encode, send and count the batch built so far in `builder` (possibly empty: a
  /// schema-only frame), then Reset() it. Errors: CANCELLED, the host's (it refused the
  /// frame), IPC_ENCODE_FAILED.
  Outcome<void> Emit(arrow::RecordBatchBuilder* builder);

  /// A source checkpoint after the latest frame: `position` holds the stream's position
  /// fields (cursor_field, cursor_value, cursor_boundary for a cursor); id, kind, stream and
  /// the processed counts are added here. Error: the host's.
  Outcome<void> Checkpoint(const protocol::Json& position);

  /// The standard metric records_estimate: the source's estimate of the rows this stream
  /// attempt will read, reported once before the first frame; the host's progress shows a
  /// total and an ETA from it. Metrics never fail a run.
  void Estimate(std::uint64_t records);

  const EmitTotals& totals() const { return totals_; }
  /// The ReadSummary of what was emitted; records_skipped and perf are the caller's.
  protocol::ReadSummary Summary() const;

 private:
  std::string connector_id_;
  std::string stream_;
  std::int64_t max_batch_bytes_;
  std::int64_t max_batch_rows_;
  arrow::ByteBuffer frame_;
  EmitTotals totals_;
};

}  // namespace rapidbyte::sdk
