// The canonical JSON of an Arrow stream as rapidbyte decodes it; the same format as
// tests/interop/arrow_json.mjs produces from Apache Arrow JS (see there for the rules).
#pragma once

#include <span>

#include <nlohmann/json.hpp>

#include "arrow/record_batch.h"

namespace rapidbyte::arrow::interop {

nlohmann::json SchemaToJson(const Schema& schema);
nlohmann::json BatchToJson(const RecordBatch& batch);
/// {"schema": ..., "batches": [...]}.
nlohmann::json StreamToJson(const Schema& schema, std::span<const RecordBatch> batches);

}  // namespace rapidbyte::arrow::interop
