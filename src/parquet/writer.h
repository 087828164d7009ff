// ParquetWriter: Arrow record batches -> one Parquet file (format 2.6, data page v1), written
// to a ParquetSink row group by row group, so memory is bounded by one row group whatever
// the file size. See docs/formats/parquet.md. Portable: no I/O of its own, no exceptions.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arrow/record_batch.h"
#include "base/result.h"
#include "parquet/column_writer.h"
#include "parquet/format.h"
#include "parquet/options.h"
#include "parquet/schema_map.h"
#include "parquet/sink.h"

namespace rapidbyte::parquet {

/// Usage: Open(), WriteBatch() any number of times, Finish() once. After an error the
/// writer must be abandoned (the sink holds a partial file). Not thread-safe.
class ParquetWriter {
 public:
  /// Map `schema` (InvalidArgument naming an unsupported field) and write the leading
  /// magic to `sink`. `sink` and `options.compressor` are not owned and must outlive the
  /// writer.
  static Result<std::unique_ptr<ParquetWriter>> Open(const arrow::Schema& schema,
                                                     WriterOptions options, ParquetSink* sink);

  /// Append the rows of `batch` (whose columns must have the writer's types), flushing row
  /// groups as they fill.
  Status WriteBatch(const arrow::RecordBatch& batch);
  /// Write the buffered rows as a row group now (nothing when there are none).
  Status FlushRowGroup();
  /// Flush and write the footer. The writer accepts nothing afterwards.
  Status Finish();

  /// Bytes given to the sink so far.
  int64_t bytes_written() const { return offset_; }
  /// Bytes held for the open row group.
  int64_t buffered_bytes() const;
  /// The footer's contents (complete after Finish).
  const FileMetaData& metadata() const { return meta_; }
  const ParquetSchema& parquet_schema() const { return schema_map_; }

  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

 private:
  ParquetWriter(const arrow::Schema& schema, WriterOptions options, ParquetSink* sink);
  Status CheckBatch(const arrow::RecordBatch& batch) const;
  Status WriteRows(const arrow::RecordBatch& batch, int64_t begin, int64_t end);
  Status Emit(std::string_view bytes);
  Result<std::string> ArrowSchemaValue() const;

  arrow::Schema schema_;
  WriterOptions options_;
  ParquetSink* sink_;
  Uncompressed uncompressed_;
  ParquetSchema schema_map_;
  PageBuffers page_buffers_;  // shared by columns_, so declared before them
  std::vector<std::unique_ptr<ColumnWriter>> columns_;
  FileMetaData meta_;
  int64_t offset_ = 0;
  int64_t group_rows_ = 0;
  bool finished_ = false;
};

}  // namespace rapidbyte::parquet
