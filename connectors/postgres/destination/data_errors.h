// FrameWriter: writes one frame's batches through a BatchWriter under the on_data_error
// policy (SPEC §8.7). With `fail` a data error fails the stream. With `skip` and `dlq` the
// frame is written under a SAVEPOINT; if it fails with a data error (SQLSTATE 22xxx/23xxx, or
// a value the column cannot take) it is rolled back to the savepoint and written again row by
// row, each row under its own savepoint, so the transaction stays usable. Each bad row counts
// in records_failed, is logged at warn (the first 100 individually) and, with `dlq`, is
// inserted into `"<schema>".rapidbyte_dlq` in the same transaction. Other errors are never
// retried row by row. Guest only (logs through the host).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "arrow/record_batch.h"
#include "base/status.h"
#include "connectors/postgres/destination/batch_writer.h"
#include "connectors/postgres/destination/write_request.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

/// True for errors that are about the data of a row rather than the session.
bool IsDataError(const Status& status);

/// CREATE TABLE IF NOT EXISTS for the dead-letter table, outside a transaction.
Status EnsureDlqTable(pgwire::Connection* conn, const std::string& schema);

class FrameWriter {
 public:
  FrameWriter(pgwire::Connection* conn, BatchWriter* writer, const WriteRequest& request,
              std::string schema)
      : conn_(conn), writer_(writer), request_(request), schema_(std::move(schema)) {}

  /// Write the batches of one frame. `*failed_rows` receives the rows skipped in this frame.
  Status Write(std::span<const arrow::RecordBatch> batches, std::uint64_t* failed_rows);

 private:
  Status WriteAll(std::span<const arrow::RecordBatch> batches);
  Status RowByRow(std::span<const arrow::RecordBatch> batches, std::uint64_t* failed_rows);
  Status RecordFailure(const arrow::RecordBatch& batch, std::int64_t row, const Status& error);

  pgwire::Connection* conn_;
  BatchWriter* writer_;
  const WriteRequest& request_;
  std::string schema_;
  std::uint64_t failures_logged_ = 0;
};

}  // namespace rapidbyte::pgdest
