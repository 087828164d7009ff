// PostgreSQL COPY text format (SPEC §8.3: used when a destination column is text-carried):
// the escaping of one value, and a row writer for columns that arrive as Arrow text or
// integers. Portable; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arrow/byte_buffer.h"
#include "arrow/record_batch.h"
#include "base/status.h"

namespace rapidbyte::pgwire {

/// Append `value` escaped for COPY ... (FORMAT text) with the default tab delimiter:
/// backslash, tab, newline, carriage return, backspace, form feed and vertical tab become
/// backslash sequences, so no value can end a field or a row, or read as `\N` (NULL).
/// A NUL byte cannot be represented: InvalidArgument (a data error of the row).
Status AppendCopyTextEscaped(std::string_view value, arrow::ByteBuffer* out);

/// The NULL marker of the text format.
inline constexpr std::string_view kCopyTextNull = "\\N";

/// Append row `row` of `batch` as one text-format line (tab-separated, `\n`-terminated).
/// Supports utf8, large_utf8, bool and the integer types (their text input is their decimal
/// form); other columns are InvalidArgument. On error `*out` is left as it was.
Status AppendCopyTextRow(const arrow::RecordBatch& batch, std::int64_t row,
                         arrow::ByteBuffer* out);

}  // namespace rapidbyte::pgwire
