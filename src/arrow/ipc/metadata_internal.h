// Encoding and decoding of IPC message metadata (the Message flatbuffer with a Schema or a
// RecordBatch header). Decoding checks every flatbuffer access and the type parameters.
// Folder-private.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "arrow/ipc/flatbuf_internal.h"
#include "arrow/schema.h"
#include "base/result.h"

namespace rapidbyte::arrow::ipc::internal {

struct FieldNodeMeta {
  int64_t length;
  int64_t null_count;
};

struct BufferMeta {
  int64_t offset;
  int64_t length;
};

/// Write a Message flatbuffer with a Schema header (metadata version V5) into `fb`.
void EncodeSchemaMessage(const Schema& schema, FbWriter* fb);

/// Write a Message flatbuffer with a RecordBatch header into `fb`.
void EncodeRecordBatchMessage(int64_t length, const std::vector<FieldNodeMeta>& nodes,
                              const std::vector<BufferMeta>& buffers, int64_t body_length,
                              FbWriter* fb);

/// The decoded Message table.
struct MessageInfo {
  int16_t version = 0;
  uint8_t header_type = 0;
  int64_t body_length = 0;
  std::optional<FbTable> header;
};

/// Decode the Message table of the flatbuffer in [data, data + size): version V4 or V5,
/// a header present, body length >= 0.
Result<MessageInfo> DecodeMessage(const uint8_t* data, uint64_t size);

/// Decode a Schema table. `fb_size` (the flatbuffer's size) bounds how much memory the
/// decoded names and metadata may take, so aliased strings cannot blow up memory.
Result<Schema> DecodeSchema(const FbTable& schema, uint64_t fb_size);

/// The decoded RecordBatch table; nodes and buffers are vectors of 16-byte structs.
struct BatchMeta {
  int64_t length = 0;
  FbVector nodes;
  FbVector buffers;
};

/// Decode a RecordBatch table; rejects compression and variadic buffers.
Result<BatchMeta> DecodeRecordBatchMeta(const FbTable& batch);

}  // namespace rapidbyte::arrow::ipc::internal
