// RecordBatchBuilder: one column builder per schema field, filled row by row or column by
// column, finished into a RecordBatch view and reset for the next batch without freeing.
// Portable.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arrow/builder.h"
#include "arrow/builder_binary.h"
#include "arrow/builder_list.h"
#include "arrow/builder_primitive.h"
#include "arrow/record_batch.h"
#include "base/result.h"

namespace rapidbyte::arrow {

/// Holds a builder per field of a schema. Typical connector loop:
///
///   RB_ASSIGN_OR_RETURN(auto rbb, RecordBatchBuilder::Make(schema));
///   auto* id = rbb->column_as<Int64Builder>(0);
///   ... append rows; when rbb->BufferBytes() reaches max_batch_bytes:
///   RB_ASSIGN_OR_RETURN(RecordBatch batch, rbb->Finish());
///   RB_RETURN_NOT_OK(ipc::WriteFrame(batch, &frame));   // encode, emit
///   rbb->Reset();                                        // capacity is kept
///
/// Owns the column builders; not thread-safe.
class RecordBatchBuilder {
 public:
  /// Create builders for every field (types are validated).
  static Result<std::unique_ptr<RecordBatchBuilder>> Make(std::shared_ptr<const Schema> schema);

  const Schema& schema() const { return *schema_; }
  const std::shared_ptr<const Schema>& shared_schema() const { return schema_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  ArrayBuilder* column(int i) { return columns_[static_cast<std::size_t>(i)].get(); }
  /// Column `i` as its concrete builder class, or nullptr if it is of another class (see
  /// MakeBuilder for which class serves which type).
  template <typename B>
  B* column_as(int i) {
    return dynamic_cast<B*>(column(i));
  }

  /// Rows appended so far: the length of column 0 (0 without columns).
  int64_t num_rows() const { return columns_.empty() ? 0 : columns_[0]->length(); }

  /// Reserve room for `rows` more rows in every column (items of lists are not reserved).
  Status Reserve(int64_t rows);

  /// Exact IPC body bytes of the batch built so far (sum over columns; see
  /// ArrayBuilder::BufferBytes). A source caps batches at max_batch_bytes with it.
  int64_t BufferBytes() const;

  /// Return the batch built so far as a view into the builders (valid until the next
  /// non-const call). Fails when the columns have different lengths or a non-nullable
  /// field holds nulls.
  Result<RecordBatch> Finish();

  /// Empty every column, keeping capacity.
  void Reset();

 private:
  RecordBatchBuilder(std::shared_ptr<const Schema> schema,
                     std::vector<std::unique_ptr<ArrayBuilder>> columns)
      : schema_(std::move(schema)), columns_(std::move(columns)) {}

  std::shared_ptr<const Schema> schema_;
  std::vector<std::unique_ptr<ArrayBuilder>> columns_;
};

}  // namespace rapidbyte::arrow
