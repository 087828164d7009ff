// RecordBatch: a schema plus one ArrayView per field, all of the same length. Non-owning for
// the column buffers (see ArrayView); shares ownership of the schema. Portable.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arrow/array.h"
#include "arrow/schema.h"

namespace rapidbyte::arrow {

/// A batch of rows in columnar form. The column views point into memory owned elsewhere (an
/// IPC input span or a RecordBatchBuilder) and are valid while that memory is; the schema
/// is kept alive by the batch. Copyable; thread-compatible.
class RecordBatch {
 public:
  RecordBatch() = default;
  RecordBatch(std::shared_ptr<const Schema> schema, int64_t num_rows,
              std::vector<ArrayView> columns)
      : schema_(std::move(schema)), num_rows_(num_rows), columns_(std::move(columns)) {}

  const Schema& schema() const { return *schema_; }
  const std::shared_ptr<const Schema>& shared_schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const ArrayView& column(int i) const { return columns_[static_cast<std::size_t>(i)]; }
  const std::vector<ArrayView>& columns() const { return columns_; }

  /// Return rows [start, start + count), clamped to the batch.
  RecordBatch Slice(int64_t start, int64_t count) const;

 private:
  std::shared_ptr<const Schema> schema_;
  int64_t num_rows_ = 0;
  std::vector<ArrayView> columns_;
};

}  // namespace rapidbyte::arrow
