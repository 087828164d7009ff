// CopyBinaryEncoder: Arrow record batches (e.g. views from the IPC reader) -> PostgreSQL
// binary COPY tuples, each value in the binary format of the destination column's actual
// type (SPEC §8.3), including the Arrow-only mappings of SPEC §9.2 (unsigned integers,
// timestamp/time units, large_utf8, decimal128, lists) and the ±infinity sentinels of §9.4.
// Tuples are appended to a caller-owned reusable buffer that goes to
// Connection::WriteCopyData. Columns that can only be written through the type's text input
// (RequiresTextFormat) make the whole stream use FORMAT text (copy_text.h). Portable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arrow/byte_buffer.h"
#include "arrow/record_batch.h"
#include "base/result.h"

namespace rapidbyte::pgwire {

/// The destination column's actual type (domains resolved to their base type).
struct TargetColumn {
  std::uint32_t type_oid = 0;
  /// For array columns: the element type; 0 otherwise.
  std::uint32_t elem_oid = 0;
  /// pg_type.typname of type_oid (recognises extension types such as citext).
  std::string type_name;
};

/// A row the encoder could not write, with the reason (OutOfRange/InvalidArgument naming the
/// column): a data error of that row (SPEC §8.7).
struct RowError {
  std::int64_t row = 0;
  Status status;
};

/// True when values of Arrow `type` can reach a column of `target` only through the type's
/// text input (e.g. utf8 into inet, timetz or an enum): the COPY must then use FORMAT text.
bool RequiresTextFormat(const arrow::DataType& type, const TargetColumn& target);

/// Encodes batches for one COPY ... FROM STDIN (FORMAT binary). The per-column encode
/// functions are chosen once by Make. Movable; not thread-safe.
class CopyBinaryEncoder {
 public:
  struct Column;  // per-column encode function and scratch (copy_encoder.cc)

  /// Pair every field of `schema` with `targets[i]`. Unsupported pairs fail with
  /// InvalidArgument (`UNSUPPORTED_ARROW_TYPE`-style message naming the field); pairs that
  /// need text format fail with FailedPrecondition.
  static Result<CopyBinaryEncoder> Make(const arrow::Schema& schema,
                                        const std::vector<TargetColumn>& targets);
  CopyBinaryEncoder(CopyBinaryEncoder&&) noexcept;
  CopyBinaryEncoder& operator=(CopyBinaryEncoder&&) noexcept;
  ~CopyBinaryEncoder();

  /// Append the 19-byte binary COPY header (signature, flags 0, no extension).
  static Status AppendHeader(arrow::ByteBuffer* out);
  /// Append the trailer (field count -1).
  static Status AppendTrailer(arrow::ByteBuffer* out);

  /// Append row `row` of `batch`. On a data error `*out` is left as it was.
  Status EncodeRow(const arrow::RecordBatch& batch, std::int64_t row, arrow::ByteBuffer* out);
  /// Append every row. Rows with data errors go to `*rejected` when it is given; otherwise
  /// the first one fails the call (rows before it stay appended).
  Status EncodeBatch(const arrow::RecordBatch& batch, arrow::ByteBuffer* out,
                     std::vector<RowError>* rejected = nullptr);

 private:
  explicit CopyBinaryEncoder(std::vector<Column> columns);
  /// InvalidArgument unless `batch` has one column per target.
  Status CheckBatch(const arrow::RecordBatch& batch) const;
  /// EncodeRow without CheckBatch (EncodeBatch checks once per batch).
  Status AppendRow(const arrow::RecordBatch& batch, std::int64_t row, arrow::ByteBuffer* out);
  std::vector<Column> columns_;
};

}  // namespace rapidbyte::pgwire
