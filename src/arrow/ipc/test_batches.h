// Test helpers for the IPC tests: a schema with every supported type, deterministic batches
// for it, and a canonical text form of values for comparing batches cell by cell.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "arrow/byte_buffer.h"
#include "arrow/record_batch_builder.h"

namespace rapidbyte::arrow::ipc::testing {

/// Every type of SPEC §9 (one field each, nullable, with field and schema metadata).
std::shared_ptr<const Schema> AllTypesSchema();

/// Append `rows` rows to `b` (built from AllTypesSchema()): every 3rd row null, unicode and
/// empty strings, extreme integers, a uuid, lists of varying length. `seed` varies values.
void FillAllTypes(RecordBatchBuilder* b, int64_t rows, int seed);

/// The canonical text of slot `i` (e.g. "null", "42", "'text'", "[1, null]").
std::string ValueToString(const ArrayView& array, int64_t i);

/// Every cell of `batch`, row by row.
std::vector<std::string> BatchCells(const RecordBatch& batch);

/// Encode AllTypes batches of the given row counts as one stream.
ByteBuffer AllTypesStream(std::span<const int64_t> batch_rows);

inline std::span<const uint8_t> Bytes(const ByteBuffer& b) { return b.span(); }

}  // namespace rapidbyte::arrow::ipc::testing
