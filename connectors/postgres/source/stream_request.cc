// StreamContext decoding.
#include "connectors/postgres/source/stream_request.h"

namespace rapidbyte::pgsource {
namespace {

Status ParseCursor(const protocol::Json& info, StoredCursor* out) {
  if (!protocol::GetString(info, "cursor_field", &out->field) || out->field.empty()) {
    return Status::InvalidArgument("cursor_info.cursor_field: missing");
  }
  std::string type;
  if (protocol::GetString(info, "cursor_type", &type)) out->type = type;
  if (const protocol::Json* v = protocol::GetMember(info, "last_value")) out->last_value = *v;
  const protocol::Json* boundary = protocol::GetMember(info, "boundary");
  if (boundary != nullptr && boundary->is_object()) {
    bool overflow = false;
    if (protocol::GetBool(*boundary, "overflow", &overflow)) out->boundary_overflow = overflow;
    if (const protocol::Json* hashes = protocol::GetMember(*boundary, "hashes")) {
      if (!hashes->is_array()) {
        return Status::InvalidArgument("cursor_info.boundary.hashes: must be an array");
      }
      for (const protocol::Json& h : *hashes) {
        if (!h.is_string()) {
          return Status::InvalidArgument("cursor_info.boundary.hashes: must hold strings");
        }
        out->boundary_hashes.push_back(h.get<std::string>());
      }
    }
  }
  return Status::OK();
}

Status ParseLimits(const protocol::Json& limits, StreamRequest* out) {
  std::int64_t v = 0;
  if (protocol::GetInt(limits, "max_batch_bytes", &v) && v > 0) out->max_batch_bytes = v;
  if (protocol::GetInt(limits, "max_record_bytes", &v) && v > 0) out->max_record_bytes = v;
  return Status::OK();
}

}  // namespace

Result<StreamRequest> ParseStreamRequest(const protocol::Json& context) {
  StreamRequest out;
  if (!protocol::GetString(context, "stream_name", &out.stream_name) ||
      out.stream_name.empty()) {
    return Status::InvalidArgument("stream context: missing stream_name");
  }
  std::string mode = "full_refresh";
  protocol::GetString(context, "sync_mode", &mode);
  if (mode == "incremental") {
    out.sync_mode = SyncMode::kIncremental;
  } else if (mode != "full_refresh") {
    return Status::InvalidArgument("stream " + out.stream_name + ": sync_mode '" + mode +
                                   "' is not supported (supported: full_refresh, incremental)");
  }
  const protocol::Json* info = protocol::GetMember(context, "cursor_info");
  if (info != nullptr && info->is_object()) {
    StoredCursor cursor;
    RB_RETURN_NOT_OK(ParseCursor(*info, &cursor).WithContext("stream " + out.stream_name));
    out.cursor = std::move(cursor);
  }
  if (out.sync_mode == SyncMode::kIncremental && !out.cursor) {
    return Status::InvalidArgument("stream " + out.stream_name +
                                   ": incremental sync needs cursor_info.cursor_field");
  }
  if (const protocol::Json* limits = protocol::GetMember(context, "limits")) {
    RB_RETURN_NOT_OK(ParseLimits(*limits, &out));
  }
  if (const protocol::Json* policies = protocol::GetMember(context, "policies")) {
    std::string policy;
    if (protocol::GetString(*policies, "on_data_error", &policy)) {
      if (policy == "skip") out.on_data_error = DataErrorPolicy::kSkip;
      if (policy == "dlq") out.on_data_error = DataErrorPolicy::kDlq;
    }
  }
  const protocol::Json* columns = protocol::GetMember(context, "selected_columns");
  if (columns != nullptr && columns->is_array()) {
    std::vector<std::string> names;
    for (const protocol::Json& c : *columns) {
      if (!c.is_string()) {
        return Status::InvalidArgument("stream " + out.stream_name +
                                       ": selected_columns must hold strings");
      }
      names.push_back(c.get<std::string>());
    }
    out.selected_columns = std::move(names);
  }
  return out;
}

}  // namespace rapidbyte::pgsource
