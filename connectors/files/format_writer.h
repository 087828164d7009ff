// One output file's encoder (SPEC §16.3): record batches in, the file's bytes out to a sink
// in order. Parquet writes a row group at a time (memory bounded by row_group_size); CSV and
// JSON Lines write chunks of about 1 MiB, each compressed as its own zstd frame or gzip
// member (readers decode the concatenation as one stream). Compression runs in the host.
#pragma once

#include <cstdint>
#include <memory>

#include "arrow/record_batch.h"
#include "arrow/schema.h"
#include "connectors/files/files_config.h"
#include "parquet/sink.h"
#include "sdk/outcome.h"

namespace rapidbyte::files {

class FormatWriter {
 public:
  virtual ~FormatWriter() = default;
  /// A writer for one file of `schema`, writing to `sink` (not owned, outlives the writer).
  /// A column type the format cannot hold is a SCHEMA error naming the column.
  static sdk::Outcome<std::unique_ptr<FormatWriter>> Open(const FilesConfig& config,
                                                          const arrow::Schema& schema,
                                                          parquet::ParquetSink* sink);
  virtual sdk::Outcome<void> Write(const arrow::RecordBatch& batch) = 0;
  /// Write what is buffered and the file's end (the Parquet footer).
  virtual sdk::Outcome<void> Finish() = 0;
  /// Bytes given to the sink plus those still buffered: what decides the rollover.
  virtual std::uint64_t size() const = 0;
};

/// The ConnectorError of a Status from the portable libraries (kept whole when it carries
/// one, see sdk/error_status.h).
sdk::ConnectorError ErrorOfStatus(const Status& status, const char* code);

}  // namespace rapidbyte::files
