// Frame encoding, emission, counters and checkpoints.
#include "connectors/postgres/source/frame_emitter.h"

#include "arrow/ipc/writer.h"
#include "sdk/host_stream.h"
#include "sdk/sdk.h"

namespace rapidbyte::pgsource {

Status FrameEmitter::Emit(arrow::RecordBatchBuilder* builder) {
  // Size the frame buffer once for frames of this size (the IPC adds metadata and padding)
  // instead of letting it double past them: linear memory keeps every high-water mark.
  const std::int64_t body = builder->BufferBytes();
  const std::int64_t want = body + body / 8 + (64 << 10);
  if (frame_.capacity() < body + (64 << 10)) {
    frame_ = arrow::ByteBuffer();
    RB_RETURN_NOT_OK(frame_.Reserve(want));
  }
  RB_ASSIGN_OR_RETURN(arrow::RecordBatch batch, builder->Finish());
  frame_.Clear();
  RB_RETURN_NOT_OK(arrow::ipc::WriteFrame(batch, &frame_));
  const std::int64_t rows = batch.num_rows();
  const std::int32_t rc = sdk::EmitBatch(frame_.span());
  if (rc != RB_OK) return sdk::HostCallFailure(rc, "emit batch of stream " + stream_);
  builder->Reset();
  totals_.records += static_cast<std::uint64_t>(rows);
  totals_.bytes += static_cast<std::uint64_t>(frame_.size());
  totals_.batches += 1;
  sdk::EmitCounter(connector_id_, stream_, "records_read",
                   static_cast<std::int64_t>(totals_.records));
  sdk::EmitCounter(connector_id_, stream_, "bytes_read", static_cast<std::int64_t>(totals_.bytes));
  sdk::EmitCounter(connector_id_, stream_, "batches_emitted",
                   static_cast<std::int64_t>(totals_.batches));
  return Status::OK();
}

Status FrameEmitter::Checkpoint(const std::string& cursor_field,
                                const protocol::Json& cursor_value,
                                const protocol::Json& boundary) {
  const protocol::Json checkpoint = {
      {"id", totals_.checkpoints + 1},
      {"kind", "source"},
      {"stream", stream_},
      {"cursor_field", cursor_field},
      {"cursor_value", cursor_value},
      {"cursor_boundary", boundary},
      {"commit_token", nullptr},
      {"records_processed", totals_.records},
      {"bytes_processed", totals_.bytes},
  };
  const std::int32_t rc =
      sdk::Checkpoint(RB_CHECKPOINT_SOURCE, connector_id_, stream_, protocol::Dump(checkpoint));
  if (rc != RB_OK) return sdk::HostCallFailure(rc, "checkpoint of stream " + stream_);
  totals_.checkpoints += 1;
  return Status::OK();
}

}  // namespace rapidbyte::pgsource
