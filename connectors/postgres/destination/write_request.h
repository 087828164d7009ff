// WriteRequest: the parts of a StreamContext (SPEC §4.10) that dest-postgres uses: identity
// (pipeline, run, stream), write mode and key, checkpoint intervals and the policies for data
// errors and schema evolution (defaults of SPEC §2.3 when absent). Portable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

#include "protocol/json.h"

namespace rapidbyte::pgdest {

enum class WriteMode { kAppend, kReplace, kUpsert };
enum class DataErrorPolicy { kFail, kSkip, kDlq };

/// destination.schema_evolution (SPEC §8.6).
struct EvolutionPolicy {
  enum class NewColumn { kAdd, kIgnore, kFail } new_column = NewColumn::kAdd;
  enum class RemovedColumn { kIgnore, kFail } removed_column = RemovedColumn::kIgnore;
  enum class TypeChange { kCoerce, kFail, kNull } type_change = TypeChange::kFail;
  enum class Nullability { kAllow, kFail } nullability_change = Nullability::kAllow;
};

struct CheckpointLimits {
  std::int64_t bytes = 0;    ///< 0: off
  std::int64_t rows = 0;     ///< 0: off
  std::int64_t seconds = 0;  ///< 0: off
};

struct WriteRequest {
  std::string pipeline;
  std::int64_t run_id = 0;
  std::string stream_name;
  WriteMode write_mode = WriteMode::kAppend;
  std::vector<std::string> primary_key;  ///< the upsert key (write_mode or primary_key field)
  CheckpointLimits checkpoint;
  DataErrorPolicy on_data_error = DataErrorPolicy::kFail;
  EvolutionPolicy evolution;
};

const char* WriteModeName(WriteMode mode);

/// Decode a StreamContext. A missing stream name, an unknown enum spelling, or upsert without
/// a key is InvalidArgument naming the field.
Result<WriteRequest> ParseWriteRequest(const protocol::Json& context);

}  // namespace rapidbyte::pgdest
