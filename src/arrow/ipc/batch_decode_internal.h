// Decoding a RecordBatch message body into ArrayViews over the received bytes, validating
// at one of three levels. Folder-private.
#pragma once

#include <cstdint>
#include <memory>

#include "arrow/ipc/metadata_internal.h"
#include "arrow/record_batch.h"
#include "base/result.h"

namespace rapidbyte::arrow::ipc::internal {

enum class CheckLevel : uint8_t {
  /// Nodes and buffers match the schema, every buffer lies inside the body and is big enough
  /// for its length. Value buffers are not read.
  kMetadata,
  /// Plus offsets: monotonic, inside the data (or item) array. Access is memory-safe.
  kStructural,
  /// Plus UTF-8 of utf8/large_utf8 values and null counts equal to the validity bitmaps.
  kFull,
};

/// Decode the batch described by `meta` whose body is [body, body + body_size).
Result<RecordBatch> DecodeRecordBatch(const std::shared_ptr<const Schema>& schema,
                                      const BatchMeta& meta, const uint8_t* body,
                                      uint64_t body_size, CheckLevel level);

}  // namespace rapidbyte::arrow::ipc::internal
