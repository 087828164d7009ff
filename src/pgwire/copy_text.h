// PostgreSQL COPY text format (SPEC §8.3: a table with a column whose type is carried as text,
// such as inet, timetz or an enum, is loaded with COPY ... FROM STDIN (FORMAT text)): the
// escaping of one value and an encoder for whole rows. Portable; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arrow/byte_buffer.h"
#include "arrow/record_batch.h"
#include "base/result.h"
#include "pgwire/binary_to_text.h"
#include "pgwire/copy_encoder.h"

namespace rapidbyte::pgwire {

/// Append `value` escaped for COPY ... (FORMAT text) with the default tab delimiter:
/// backslash, tab, newline, carriage return, backspace, form feed and vertical tab become
/// backslash sequences, so no value can end a field or a row, or read as `\N` (NULL).
/// A NUL byte cannot be represented: InvalidArgument (a data error of the row).
Status AppendCopyTextEscaped(std::string_view value, arrow::ByteBuffer* out);

/// The NULL marker of the text format.
inline constexpr std::string_view kCopyTextNull = "\\N";

/// Encodes batches for one COPY ... FROM STDIN (FORMAT text): one tab-separated,
/// `\n`-terminated line per row. Columns that RequiresTextFormat (Arrow text into a type with
/// no binary path) are sent as their text; every other column takes the binary encoder's
/// path (the same Arrow -> column type pairs, range checks and unit conversions) and is then
/// printed in the type's text form (binary_to_text.h). Movable; not thread-safe.
class CopyTextEncoder {
 public:
  /// Pair every field of `schema` with `targets[i]`; unsupported pairs are InvalidArgument as
  /// in CopyBinaryEncoder::Make.
  static Result<CopyTextEncoder> Make(const arrow::Schema& schema,
                                      const std::vector<TargetColumn>& targets);

  /// Append row `row` of `batch`. On a data error (OutOfRange/InvalidArgument naming the
  /// column) `*out` is left as it was.
  Status EncodeRow(const arrow::RecordBatch& batch, std::int64_t row, arrow::ByteBuffer* out);

 private:
  CopyTextEncoder(CopyBinaryEncoder binary, std::vector<BinaryToText> printers,
                  std::vector<std::string> names);
  Status AppendTuple(arrow::ByteBuffer* out);

  CopyBinaryEncoder binary_;
  std::vector<BinaryToText> printers_;
  std::vector<std::string> names_;
  arrow::ByteBuffer tuple_;  ///< the row in binary, reused
  std::string text_;         ///< one value's text, reused
};

}  // namespace rapidbyte::pgwire
