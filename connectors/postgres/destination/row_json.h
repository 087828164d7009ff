// RowToJson: one row of a record batch as a JSON object, for the dead-letter table's `record`
// column (SPEC §8.7): numbers as numbers; decimals, NaN and infinities as strings; binary as
// base64 (uuid in its canonical form); dates and times in ISO 8601; lists as arrays; NULL as
// null; a NUL character in text as U+FFFD (jsonb cannot store U+0000). Portable.
#pragma once

#include <cstdint>

#include "arrow/record_batch.h"

#include "protocol/json.h"

namespace rapidbyte::pgdest {

protocol::Json RowToJson(const arrow::RecordBatch& batch, std::int64_t row);

}  // namespace rapidbyte::pgdest
