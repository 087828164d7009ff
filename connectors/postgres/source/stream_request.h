// StreamRequest: the parts of a StreamContext (SPEC §4.10) that source-postgres uses, decoded
// from the run call's JSON: the stream name, sync mode, stored cursor, limits, the
// on_data_error policy and the projection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

enum class SyncMode { kFullRefresh, kIncremental };
enum class DataErrorPolicy { kFail, kSkip, kDlq };

/// CursorInfo as stored by the engine for this stream.
struct StoredCursor {
  std::string field;
  std::optional<std::string> type;  ///< CursorType spelling, when the engine knows it
  protocol::Json last_value;        ///< CursorValue; null when nothing is stored yet
  std::vector<std::string> boundary_hashes;
  bool boundary_overflow = false;

  bool has_value() const { return !last_value.is_null() && last_value != "null"; }
};

struct StreamRequest {
  std::string stream_name;
  SyncMode sync_mode = SyncMode::kFullRefresh;
  std::optional<StoredCursor> cursor;  ///< required for incremental
  std::int64_t max_batch_bytes = 4 << 20;
  std::int64_t max_record_bytes = 0;  ///< 0: no limit
  DataErrorPolicy on_data_error = DataErrorPolicy::kFail;
  std::optional<std::vector<std::string>> selected_columns;
};

/// Decode a StreamContext object. Missing optional parts take their defaults; a missing
/// stream name, an unknown sync mode (cdc is not supported) or incremental without a cursor
/// field is InvalidArgument naming the field.
Result<StreamRequest> ParseStreamRequest(const protocol::Json& context);

}  // namespace rapidbyte::pgsource
