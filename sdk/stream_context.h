// StreamContext: the request of a run call (SPEC §4.10), parsed and checked once by the SDK
// before Read / Write / Process run, so every connector reads the same fields the same way:
// identity (pipeline, run, stream), sync mode and the stored cursor, write mode and key,
// limits (batch sizes, checkpoint intervals), on_data_error and the projection. json() has
// the whole document for anything else (e.g. a destination's schema_evolution policy).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json.h"
#include "sdk/outcome.h"

namespace rapidbyte::sdk {

enum class SyncMode { kFullRefresh, kIncremental, kCdc };
enum class WriteMode { kAppend, kReplace, kUpsert };
enum class DataErrorPolicy { kFail, kSkip, kDlq };

const char* SyncModeName(SyncMode mode);
const char* WriteModeName(WriteMode mode);

/// CursorInfo as stored by the engine for an incremental stream (SPEC §7.3).
struct StoredCursor {
  std::string field;
  std::optional<std::string> type;  ///< CursorType spelling, when the engine knows it
  protocol::Json last_value;        ///< CursorValue; null when nothing is stored yet
  std::vector<std::string> boundary_hashes;
  bool boundary_overflow = false;

  bool has_value() const { return !last_value.is_null() && last_value != "null"; }
};

/// StreamLimits (SPEC §4.10); 0 means "off" for the optional ones.
struct StreamLimits {
  std::int64_t max_batch_bytes = 4 << 20;
  std::int64_t max_record_bytes = 0;
  std::int64_t checkpoint_interval_bytes = 0;
  std::int64_t checkpoint_interval_rows = 0;
  std::int64_t checkpoint_interval_seconds = 0;
};

class StreamContext {
 public:
  /// Decode and check a StreamContext. A field of the wrong type, an unknown enum spelling,
  /// upsert without a key or a negative limit is a
  /// config error (INVALID_CONFIG) naming the field. (Whether incremental needs a cursor
  /// is the source's to say: a destination gets no cursor_info.)
  static Outcome<StreamContext> Parse(protocol::Json json);

  const protocol::Json& json() const { return json_; }
  /// "" when absent (a connector that needs one says so).
  const std::string& stream_name() const { return stream_name_; }
  const std::string& pipeline() const { return pipeline_; }
  std::int64_t run_id() const { return run_id_; }
  /// The attempt number, from 1.
  std::int64_t attempt() const { return attempt_; }
  SyncMode sync_mode() const { return sync_mode_; }
  bool incremental() const { return sync_mode_ == SyncMode::kIncremental; }
  /// The stored cursor (sources of incremental streams get one; a cdc stream's cursor_info
  /// is its WAL position, read from json()).
  const std::optional<StoredCursor>& cursor() const { return cursor_; }
  WriteMode write_mode() const { return write_mode_; }
  /// The upsert key (write_mode.upsert.primary_key, else the stream's primary_key).
  const std::vector<std::string>& primary_key() const { return primary_key_; }
  const StreamLimits& limits() const { return limits_; }
  DataErrorPolicy on_data_error() const { return on_data_error_; }
  /// The projection, when the pipeline selects columns.
  const std::optional<std::vector<std::string>>& selected_columns() const {
    return selected_columns_;
  }
  /// cursor_info.last_value.int64 of an incremental stream resuming after an int64 cursor.
  bool last_int64(std::int64_t* out) const;

 private:
  explicit StreamContext(protocol::Json json) : json_(std::move(json)) {}
  Outcome<void> ParseModes();
  Outcome<void> ParseLimitsAndPolicies();

  protocol::Json json_;
  std::string stream_name_;
  std::string pipeline_;
  std::int64_t run_id_ = 0;
  std::int64_t attempt_ = 1;
  SyncMode sync_mode_ = SyncMode::kFullRefresh;
  std::optional<StoredCursor> cursor_;
  WriteMode write_mode_ = WriteMode::kAppend;
  std::vector<std::string> primary_key_;
  StreamLimits limits_;
  DataErrorPolicy on_data_error_ = DataErrorPolicy::kFail;
  std::optional<std::vector<std::string>> selected_columns_;
};

}  // namespace rapidbyte::sdk
