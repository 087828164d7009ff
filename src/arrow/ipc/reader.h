// IPC stream reader over bytes it does not own: validates framing, flatbuffer metadata and
// every buffer before use, and returns RecordBatch views into the input (zero-copy).
// Also InspectStream(), the cheap row count the engine applies to every frame. Portable.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "arrow/record_batch.h"
#include "base/result.h"

namespace rapidbyte::arrow::ipc {

/// How much of the value buffers the reader checks. Both levels check the framing, the
/// flatbuffers, that nodes and buffers match the schema, that every buffer lies inside the
/// message body and is large enough, and that offsets are monotonic and stay inside their
/// data; accessing any value of a returned batch is then memory-safe.
enum class Validation : uint8_t {
  kStructural,
  /// Also: utf8/large_utf8 values are valid UTF-8, and null counts match the bitmaps.
  kFull,
};

struct ReadOptions {
  Validation validation = Validation::kStructural;
};

/// Reads one IPC stream: a schema message, record batch messages, the end-of-stream marker
/// (required; bytes after it are an error). Dictionary batches, compressed bodies and types
/// outside SPEC §9 are rejected. Every error is InvalidArgument naming the message index and
/// byte position, and the column or buffer at fault.
///
/// The input is not owned and must outlive the reader and every batch it returns; batches
/// point into it. Movable; not thread-safe.
class StreamReader {
 public:
  /// Read and validate the schema message at the start of `stream`.
  static Result<StreamReader> Open(std::span<const uint8_t> stream, ReadOptions options = {});

  const std::shared_ptr<const Schema>& schema() const { return schema_; }

  /// Decode the next record batch into `*batch`. Returns false (and leaves `*batch`
  /// untouched) at the end-of-stream marker, and on every call after it.
  Result<bool> Next(RecordBatch* batch);

 private:
  StreamReader(std::span<const uint8_t> stream, ReadOptions options)
      : stream_(stream), options_(options) {}

  std::span<const uint8_t> stream_;
  ReadOptions options_;
  std::shared_ptr<const Schema> schema_;
  uint64_t pos_ = 0;
  int message_index_ = 0;
  bool done_ = false;
};

/// A whole decoded stream.
struct StreamContents {
  std::shared_ptr<const Schema> schema;
  std::vector<RecordBatch> batches;
};

/// Read every batch of `stream` (views into it).
Result<StreamContents> ReadStream(std::span<const uint8_t> stream, ReadOptions options = {});

/// What InspectStream learns from the metadata.
struct StreamSummary {
  std::shared_ptr<const Schema> schema;
  int64_t num_batches = 0;
  int64_t num_rows = 0;
};

/// Validate framing and metadata of a whole stream (flatbuffers, nodes and buffers against
/// the schema, every buffer inside its body) without reading value buffers, and count the
/// rows. Cheap: cost grows with the number of columns and batches, not with the data.
Result<StreamSummary> InspectStream(std::span<const uint8_t> stream);

}  // namespace rapidbyte::arrow::ipc
