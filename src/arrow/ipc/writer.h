// IPC stream writer: encodes a schema message, record batch messages and the end-of-stream
// marker into a caller-owned ByteBuffer (metadata version V5, continuation markers, 8-byte
// aligned and zero-padded, no body compression). A rapidbyte frame is one complete stream:
// schema, one record batch, end-of-stream (WriteFrame). Portable.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "arrow/byte_buffer.h"
#include "arrow/ipc/flatbuf_internal.h"
#include "arrow/ipc/metadata_internal.h"
#include "arrow/record_batch.h"

namespace rapidbyte::arrow::ipc {

/// Writes one IPC stream by appending to `*out`. Call WriteSchema() once, then
/// WriteRecordBatch() for each batch (zero-row batches are fine), then WriteEndOfStream().
/// Batches may be slices; their buffers are rebased so the output is self-contained.
/// The writer keeps scratch memory between calls; `out` is not owned and must outlive it.
/// Not thread-safe.
class StreamWriter {
 public:
  explicit StreamWriter(ByteBuffer* out) : out_(out) {}

  /// Start a new stream appending to `out`, keeping the scratch memory.
  void Reset(ByteBuffer* out) {
    out_ = out;
    schema_.reset();
    finished_ = false;
  }

  /// Write the schema message. Must be the first call. The first form copies the schema,
  /// the second shares it.
  Status WriteSchema(const Schema& schema);
  Status WriteSchema(std::shared_ptr<const Schema> schema);
  /// Write one record batch message; its schema must equal the stream's schema.
  Status WriteRecordBatch(const RecordBatch& batch);
  /// Write the end-of-stream marker (0xFFFFFFFF 0x00000000).
  Status WriteEndOfStream();

 private:
  // One piece of the message body: a buffer to copy, possibly transformed.
  struct Piece {
    enum Kind : uint8_t { kCopy, kBitmap, kOffsets32, kOffsets64 };
    Kind kind;
    const uint8_t* src;
    int64_t start;  // bit offset (kBitmap) or first offset index (kOffsets*)
    int64_t count;  // bytes (kCopy), bits (kBitmap), offsets (kOffsets*)
    int64_t base;   // subtracted from each offset
    int64_t size;   // output bytes before padding
  };

  Status PlanArray(const ArrayView& array, const std::string& name);
  void AddPiece(Piece piece);
  Status WriteMessage(int64_t body_length);
  void WritePiece(const Piece& piece);

  ByteBuffer* out_;
  std::shared_ptr<const Schema> schema_;
  bool finished_ = false;
  internal::FbWriter fb_;
  std::vector<internal::FieldNodeMeta> nodes_;
  std::vector<internal::BufferMeta> buffers_;
  std::vector<Piece> pieces_;
  int64_t body_length_ = 0;
};

/// Append one complete stream with `schema` and `batches` (possibly none) to `*out`.
Status WriteStream(const Schema& schema, std::span<const RecordBatch> batches, ByteBuffer* out);

/// Append one rapidbyte frame: schema message, `batch`, end-of-stream marker.
Status WriteFrame(const RecordBatch& batch, ByteBuffer* out);

}  // namespace rapidbyte::arrow::ipc
