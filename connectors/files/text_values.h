// Arrow values as CSV fields and JSON values, appended to a string (SPEC §16.3): ISO 8601
// dates and times, exact numbers, bytea as base64, uuids in their canonical form, lists as
// JSON arrays. Portable; used by the csv and jsonl formats.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arrow/array.h"

namespace rapidbyte::files {

/// How one column is rendered: its array and whether it is a uuid / json column.
struct ColumnText {
  const arrow::ArrayView* array = nullptr;
  bool uuid = false;
  bool json = false;
};

/// Append value `row` of the column as one CSV field (RFC 4180 quoting); NULL as
/// `null_value`, unquoted. A value whose text equals `null_value` (the empty string among
/// them) is quoted, so readers can tell it from NULL.
void AppendCsvField(const ColumnText& column, std::int64_t row, std::string_view null_value,
                    std::string* out);

/// Append value `row` of the column as a JSON value: integers and decimals as numbers in
/// full, NaN and infinities as strings, binary as base64 strings, lists as arrays, NULL as null.
void AppendJsonValue(const ColumnText& column, std::int64_t row, std::string* out);

/// Append `text` as a JSON string literal (quotes and escapes included).
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace rapidbyte::files
