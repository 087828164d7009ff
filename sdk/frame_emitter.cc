// Frame encoding, emission, counters and source checkpoints.
#include "sdk/frame_emitter.h"

#include "arrow/ipc/writer.h"
#include "sdk/errors.h"

namespace rapidbyte::sdk {

FrameEmitter::FrameEmitter(const Source& source, const StreamContext& context,
                           std::int64_t max_batch_rows)
    : connector_id_(source.connector_id()),
      stream_(context.stream_name()),
      max_batch_bytes_(context.limits().max_batch_bytes),
      max_batch_rows_(max_batch_rows > 0 ? max_batch_rows : 1) {}

Outcome<void> FrameEmitter::Emit(arrow::RecordBatchBuilder* builder) {
  // Size the frame buffer once for frames of this size (the IPC adds metadata and padding)
  // instead of letting it double past them: linear memory keeps every high-water mark.
  const std::int64_t body = builder->BufferBytes();
  if (frame_.capacity() < body + (64 << 10)) {
    frame_ = arrow::ByteBuffer();
    if (Status st = frame_.Reserve(body + body / 8 + (64 << 10)); !st.ok()) {
      return InternalError("IPC_ENCODE_FAILED", "stream " + stream_ + ": " + st.message());
    }
  }
  auto batch = builder->Finish();
  if (!batch.ok()) {
    return InternalError("IPC_ENCODE_FAILED", "stream " + stream_ + ": " + batch.status().message());
  }
  frame_.Clear();
  if (Status st = arrow::ipc::WriteFrame(*batch, &frame_); !st.ok()) {
    return InternalError("IPC_ENCODE_FAILED", "stream " + stream_ + ": " + st.message());
  }
  const std::int64_t rows = batch->num_rows();
  RB_TRY(host::EmitFrame(frame_.span()));
  builder->Reset();
  totals_.records += static_cast<std::uint64_t>(rows);
  totals_.bytes += static_cast<std::uint64_t>(frame_.size());
  totals_.batches += 1;
  host::Counter(connector_id_, stream_, "records_read", static_cast<std::int64_t>(totals_.records));
  host::Counter(connector_id_, stream_, "bytes_read", static_cast<std::int64_t>(totals_.bytes));
  host::Counter(connector_id_, stream_, "batches_emitted",
                static_cast<std::int64_t>(totals_.batches));
  return {};
}

void FrameEmitter::Estimate(std::uint64_t records) {
  host::Counter(connector_id_, stream_, "records_estimate", static_cast<std::int64_t>(records));
}

Outcome<void> FrameEmitter::Checkpoint(const protocol::Json& position) {
  protocol::Json checkpoint = {
      {"id", totals_.checkpoints + 1},
      {"kind", "source"},
      {"stream", stream_},
      {"cursor_field", nullptr},
      {"cursor_value", nullptr},
      {"cursor_boundary", nullptr},
      {"commit_token", nullptr},
      {"records_processed", totals_.records},
      {"bytes_processed", totals_.bytes},
  };
  if (position.is_object()) {
    for (const auto& [key, value] : position.items()) checkpoint[key] = value;
  }
  RB_TRY(host::Checkpoint(CheckpointKind::kSource, connector_id_, stream_, checkpoint));
  totals_.checkpoints += 1;
  return {};
}

protocol::ReadSummary FrameEmitter::Summary() const {
  protocol::ReadSummary summary;
  summary.records_read = totals_.records;
  summary.bytes_read = totals_.bytes;
  summary.batches_emitted = totals_.batches;
  summary.checkpoint_count = totals_.checkpoints;
  return summary;
}

}  // namespace rapidbyte::sdk
