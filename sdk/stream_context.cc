// StreamContext decoding (SPEC §4.10). Field names in errors are the document's own.
#include "sdk/stream_context.h"

#include "sdk/config_fields.h"

namespace rapidbyte::sdk {
namespace {

using protocol::Json;

Outcome<StoredCursor> ParseCursor(const Json& info) {
  StoredCursor out;
  RB_TRY(fields::String(info, "cursor_info.", "cursor_field", &out.field, true));
  if (out.field.empty()) return ConfigError("cursor_info.cursor_field", "must not be empty");
  std::string type;
  RB_TRY(fields::String(info, "cursor_info.", "cursor_type", &type));
  if (!type.empty()) out.type = type;
  if (const Json* v = protocol::GetMember(info, "last_value")) out.last_value = *v;
  const Json* boundary = protocol::GetMember(info, "boundary");
  if (boundary != nullptr && boundary->is_object()) {
    RB_TRY(fields::Bool(*boundary, "cursor_info.boundary.", "overflow", &out.boundary_overflow));
    RB_TRY(fields::StringList(*boundary, "cursor_info.boundary.", "hashes",
                              &out.boundary_hashes));
  }
  return out;
}

}  // namespace

const char* SyncModeName(SyncMode mode) {
  switch (mode) {
    case SyncMode::kIncremental: return "incremental";
    case SyncMode::kCdc: return "cdc";
    case SyncMode::kFullRefresh: break;
  }
  return "full_refresh";
}

const char* WriteModeName(WriteMode mode) {
  switch (mode) {
    case WriteMode::kReplace: return "replace";
    case WriteMode::kUpsert: return "upsert";
    case WriteMode::kAppend: break;
  }
  return "append";
}

Outcome<StreamContext> StreamContext::Parse(Json json) {
  if (!json.is_object()) return ConfigError("StreamContext", "must be an object");
  StreamContext out(std::move(json));
  const Json& j = out.json_;
  RB_TRY(fields::String(j, "", "stream_name", &out.stream_name_));
  RB_TRY(fields::String(j, "", "pipeline", &out.pipeline_));
  RB_TRY(fields::Int(j, "", "run_id", &out.run_id_));
  RB_TRY(fields::Int(j, "", "attempt", &out.attempt_, 1));
  RB_TRY(out.ParseModes());
  RB_TRY(out.ParseLimitsAndPolicies());
  if (const Json* columns = protocol::GetMember(j, "selected_columns");
      columns != nullptr && !columns->is_null()) {
    std::vector<std::string> names;
    RB_TRY(fields::StringList(*columns, "selected_columns", &names));
    out.selected_columns_ = std::move(names);
  }
  return out;
}

Outcome<void> StreamContext::ParseModes() {
  RB_TRY(fields::Enum<SyncMode>(json_, "", "sync_mode",
                                {{"full_refresh", SyncMode::kFullRefresh},
                                 {"incremental", SyncMode::kIncremental},
                                 {"cdc", SyncMode::kCdc}},
                                &sync_mode_));
  const Json* info = protocol::GetMember(json_, "cursor_info");
  // A cdc stream's cursor_info is its WAL position ({"lsn", "tx"}), the source's to read.
  if (info != nullptr && info->is_object() && sync_mode_ != SyncMode::kCdc) {
    Outcome<StoredCursor> cursor = ParseCursor(*info);
    if (!cursor.ok()) return cursor.error();
    cursor_ = std::move(*cursor);
  }
  // write_mode: "append" | "replace" | "upsert" | {"upsert": {"primary_key": [...]}}.
  const Json* mode = protocol::GetMember(json_, "write_mode");
  if (mode != nullptr && mode->is_object()) {
    const Json* upsert = protocol::GetMember(*mode, "upsert");
    if (upsert == nullptr) {
      return ConfigError("write_mode", "unknown form " + protocol::Dump(*mode) +
                                           " (allowed: append, replace, upsert)");
    }
    write_mode_ = WriteMode::kUpsert;
    RB_TRY(fields::StringList(*upsert, "write_mode.upsert.", "primary_key", &primary_key_));
  } else {
    RB_TRY(fields::Enum<WriteMode>(json_, "", "write_mode",
                                   {{"append", WriteMode::kAppend},
                                    {"replace", WriteMode::kReplace},
                                    {"upsert", WriteMode::kUpsert}},
                                   &write_mode_));
  }
  if (write_mode_ == WriteMode::kUpsert && primary_key_.empty()) {
    RB_TRY(fields::StringList(json_, "", "primary_key", &primary_key_));
    if (primary_key_.empty()) {
      return ConfigError("primary_key",
                         "stream " + stream_name_ + ": write_mode upsert needs a primary_key");
    }
  }
  return {};
}

Outcome<void> StreamContext::ParseLimitsAndPolicies() {
  if (const Json* limits = protocol::GetMember(json_, "limits");
      limits != nullptr && limits->is_object()) {
    const char* path = "limits.";
    std::int64_t v = 0;
    // Zero or absent batch and record limits keep their defaults.
    RB_TRY(fields::Int(*limits, path, "max_batch_bytes", &v, 0));
    if (v > 0) limits_.max_batch_bytes = v;
    v = 0;
    RB_TRY(fields::Int(*limits, path, "max_record_bytes", &v, 0));
    if (v > 0) limits_.max_record_bytes = v;
    RB_TRY(fields::Int(*limits, path, "checkpoint_interval_bytes",
                       &limits_.checkpoint_interval_bytes, 0));
    RB_TRY(fields::Int(*limits, path, "checkpoint_interval_rows",
                       &limits_.checkpoint_interval_rows, 0));
    RB_TRY(fields::Int(*limits, path, "checkpoint_interval_seconds",
                       &limits_.checkpoint_interval_seconds, 0));
  }
  if (const Json* policies = protocol::GetMember(json_, "policies");
      policies != nullptr && policies->is_object()) {
    RB_TRY(fields::Enum<DataErrorPolicy>(*policies, "policies.", "on_data_error",
                                         {{"fail", DataErrorPolicy::kFail},
                                          {"skip", DataErrorPolicy::kSkip},
                                          {"dlq", DataErrorPolicy::kDlq}},
                                         &on_data_error_));
  }
  return {};
}

bool StreamContext::last_int64(std::int64_t* out) const {
  const Json* cursor = protocol::GetMember(json_, "cursor_info");
  const Json* last = cursor ? protocol::GetMember(*cursor, "last_value") : nullptr;
  return last != nullptr && protocol::GetInt(*last, "int64", out);
}

}  // namespace rapidbyte::sdk
