// Arrow value -> the bytes of its Parquet physical value (little-endian INT32/INT64/FLOAT/
// DOUBLE, one 0/1 byte for BOOLEAN, the content of a BYTE_ARRAY, the FIXED_LEN_BYTE_ARRAY
// bytes). These "raw" bytes feed the encoders, the dictionary and the statistics alike.
// Assumes a little-endian machine (x86-64, wasm32). Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arrow/array.h"
#include "parquet/schema_map.h"

namespace rapidbyte::parquet {

/// The raw physical bytes of (non-null) value `i` of the leaf array `array` in column `col`.
/// Points into the array or into `*scratch` (overwritten by the next call).
std::string_view PhysicalValue(const arrow::ArrayView& array, int64_t i,
                               const ColumnDescriptor& col, std::string* scratch);

/// interval[month_day_nano] as PostgreSQL prints it with IntervalStyle postgres:
/// `<months> mons <days> days [-]HH:MM:SS[.ffffff]` (nanoseconds truncated to µs).
void AppendIntervalText(const arrow::MonthDayNano& v, std::string* out);

}  // namespace rapidbyte::parquet
