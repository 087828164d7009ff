// BatchWriter: writes decoded Arrow batches into the target inside the session's open
// transaction (SPEC §8.3, §8.4). Three shapes, chosen by MakeWriter:
//   - COPY straight into the table (load_method copy; the default): FORMAT binary, or FORMAT
//     text when a column's type is carried as text (SPEC §8.3);
//   - multi-row parameterised INSERT (load_method insert; ON CONFLICT for upsert, rows
//     de-duplicated per statement, last one wins);
//   - the same COPY into a session temporary table, then one INSERT ... SELECT ... ON
//     CONFLICT per frame (upsert with copy);
//   - for a cdc stream's mirror, the same COPY of the changes into a temporary table, then
//     their collapse and application per frame (SPEC §14.5).
// Single-threaded, like the instance; the connection must outlive the writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arrow/record_batch.h"
#include "base/result.h"
#include "connectors/postgres/destination/cdc_frame.h"
#include "connectors/postgres/destination/dest_config.h"
#include "connectors/postgres/destination/target_layout.h"
#include "pgwire/connection.h"

namespace rapidbyte::pgdest {

struct WriterOptions {
  LoadMethod method = LoadMethod::kCopy;
  int insert_batch_rows = 1000;
  /// Non-empty: upsert on these columns.
  std::vector<std::string> upsert_key;
  /// Apply change frames to a mirror keyed on upsert_key (cdc_mirror_writer.cc), whatever
  /// the method: changes are always staged with COPY. `cdc_columns` locates the metadata.
  bool cdc_mirror = false;
  CdcColumns cdc_columns;
  bool soft_delete = false;
};

class BatchWriter {
 public:
  virtual ~BatchWriter() = default;
  /// Write every row of `batch` (a batch of the incoming schema).
  virtual Status Write(const arrow::RecordBatch& batch) = 0;
  /// All rows of the current frame were given to Write (upsert merges happen here).
  virtual Status EndFrame() = 0;
  /// Make everything written so far part of the transaction (ends a COPY), before a commit.
  virtual Status Finish() = 0;
  /// Abandon a COPY in progress, best effort, before a ROLLBACK.
  virtual void Abort() = 0;
};

/// Choose and set up the writer for `layout` (the staged shape creates its temporary table
/// in the open transaction).
Result<std::unique_ptr<BatchWriter>> MakeWriter(pgwire::Connection* conn,
                                                const arrow::Schema& incoming,
                                                const TargetLayout& layout,
                                                const WriterOptions& options);

}  // namespace rapidbyte::pgdest
