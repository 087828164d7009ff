// FrameEmitter: hands batches to the host (SPEC §7.3 step 8). Each batch becomes one Arrow
// IPC stream (schema, the batch, end marker) sent with rb_host_emit_batch; after each frame
// the cumulative records_read / bytes_read / batches_emitted counters are reported, and the
// caller may follow with a source checkpoint. Owns the reusable frame buffer. Guest only;
// not thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "arrow/byte_buffer.h"
#include "arrow/record_batch_builder.h"
#include "base/status.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

struct EmitTotals {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;  ///< IPC bytes handed to the host
  std::uint64_t batches = 0;
  std::uint64_t checkpoints = 0;
};

class FrameEmitter {
 public:
  FrameEmitter(std::string connector_id, std::string stream)
      : connector_id_(std::move(connector_id)), stream_(std::move(stream)) {}

  /// Encode the batch built so far in `builder` (possibly empty), emit it, count it and
  /// report the counters, then Reset() the builder. A cancelled run is a `cancelled` error
  /// (CANCELLED); a refused frame carries the host's error.
  Status Emit(arrow::RecordBatchBuilder* builder);

  /// Send a source checkpoint after the latest frame (SPEC §4.10 Checkpoint).
  Status Checkpoint(const std::string& cursor_field, const protocol::Json& cursor_value,
                    const protocol::Json& boundary);

  const EmitTotals& totals() const { return totals_; }

 private:
  std::string connector_id_;
  std::string stream_;
  arrow::ByteBuffer frame_;
  EmitTotals totals_;
};

}  // namespace rapidbyte::pgsource
