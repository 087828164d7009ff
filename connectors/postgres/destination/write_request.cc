// Decoding of the StreamContext fields dest-postgres reads.
#include "connectors/postgres/destination/write_request.h"

#include <initializer_list>
#include <utility>

namespace rapidbyte::pgdest {
namespace {

// Map the string at `object[key]` through `choices`; absent keeps `*out`.
template <typename E>
Status Enum(const protocol::Json& object, const char* path, const char* key,
            std::initializer_list<std::pair<const char*, E>> choices, E* out) {
  const protocol::Json* value = protocol::GetMember(object, key);
  if (value == nullptr || value->is_null()) return Status::OK();
  std::string allowed;
  for (const auto& [name, e] : choices) {
    if (value->is_string() && value->get<std::string>() == name) {
      *out = e;
      return Status::OK();
    }
    allowed += allowed.empty() ? name : std::string(", ") + name;
  }
  return Status::InvalidArgument(std::string(path) + key + ": " + protocol::Dump(*value) +
                                 " is not one of " + allowed);
}

Status StringList(const protocol::Json& value, const char* path, std::vector<std::string>* out) {
  if (!value.is_array()) return Status::InvalidArgument(std::string(path) + ": must be a list");
  out->clear();
  for (const protocol::Json& item : value) {
    if (!item.is_string()) {
      return Status::InvalidArgument(std::string(path) + ": must be a list of strings");
    }
    out->push_back(item.get<std::string>());
  }
  return Status::OK();
}

Status ParseWriteMode(const protocol::Json& context, WriteRequest* out) {
  const protocol::Json* mode = protocol::GetMember(context, "write_mode");
  if (mode == nullptr || mode->is_null()) return Status::OK();
  if (mode->is_string()) {
    const std::string text = mode->get<std::string>();
    if (text == "append") return Status::OK();
    if (text == "replace") {
      out->write_mode = WriteMode::kReplace;
      return Status::OK();
    }
    if (text != "upsert") {
      return Status::InvalidArgument("write_mode: '" + text +
                                     "' is not one of append, replace, upsert");
    }
    out->write_mode = WriteMode::kUpsert;
    return Status::OK();
  }
  const protocol::Json* upsert = protocol::GetMember(*mode, "upsert");
  if (upsert == nullptr)
    return Status::InvalidArgument("write_mode: unknown form " + protocol::Dump(*mode));
  out->write_mode = WriteMode::kUpsert;
  if (const protocol::Json* key = protocol::GetMember(*upsert, "primary_key")) {
    RB_RETURN_NOT_OK(StringList(*key, "write_mode.upsert.primary_key", &out->primary_key));
  }
  return Status::OK();
}

Status ParseLimits(const protocol::Json& context, CheckpointLimits* out) {
  const protocol::Json* limits = protocol::GetMember(context, "limits");
  if (limits == nullptr || !limits->is_object()) return Status::OK();
  protocol::GetInt(*limits, "checkpoint_interval_bytes", &out->bytes);
  protocol::GetInt(*limits, "checkpoint_interval_rows", &out->rows);
  protocol::GetInt(*limits, "checkpoint_interval_seconds", &out->seconds);
  if (out->bytes < 0 || out->rows < 0 || out->seconds < 0) {
    return Status::InvalidArgument("limits: checkpoint intervals must not be negative");
  }
  return Status::OK();
}

Status ParsePolicies(const protocol::Json& context, WriteRequest* out) {
  const protocol::Json* policies = protocol::GetMember(context, "policies");
  if (policies == nullptr || !policies->is_object()) return Status::OK();
  using E = EvolutionPolicy;
  RB_RETURN_NOT_OK(Enum<DataErrorPolicy>(*policies, "policies.", "on_data_error",
                                         {{"fail", DataErrorPolicy::kFail},
                                          {"skip", DataErrorPolicy::kSkip},
                                          {"dlq", DataErrorPolicy::kDlq}},
                                         &out->on_data_error));
  const protocol::Json* evo = protocol::GetMember(*policies, "schema_evolution");
  if (evo == nullptr || !evo->is_object()) return Status::OK();
  const char* path = "policies.schema_evolution.";
  RB_RETURN_NOT_OK(Enum<E::NewColumn>(*evo, path, "new_column",
                                      {{"add", E::NewColumn::kAdd},
                                       {"ignore", E::NewColumn::kIgnore},
                                       {"fail", E::NewColumn::kFail}},
                                      &out->evolution.new_column));
  RB_RETURN_NOT_OK(Enum<E::RemovedColumn>(
      *evo, path, "removed_column",
      {{"ignore", E::RemovedColumn::kIgnore}, {"fail", E::RemovedColumn::kFail}},
      &out->evolution.removed_column));
  RB_RETURN_NOT_OK(Enum<E::TypeChange>(*evo, path, "type_change",
                                       {{"coerce", E::TypeChange::kCoerce},
                                        {"fail", E::TypeChange::kFail},
                                        {"null", E::TypeChange::kNull}},
                                       &out->evolution.type_change));
  return Enum<E::Nullability>(*evo, path, "nullability_change",
                              {{"allow", E::Nullability::kAllow}, {"fail", E::Nullability::kFail}},
                              &out->evolution.nullability_change);
}

}  // namespace

const char* WriteModeName(WriteMode mode) {
  switch (mode) {
    case WriteMode::kReplace:
      return "replace";
    case WriteMode::kUpsert:
      return "upsert";
    case WriteMode::kAppend:
    default:
      return "append";
  }
}

Result<WriteRequest> ParseWriteRequest(const protocol::Json& context) {
  if (!context.is_object()) return Status::InvalidArgument("StreamContext: must be an object");
  WriteRequest out;
  if (!protocol::GetString(context, "stream_name", &out.stream_name) || out.stream_name.empty()) {
    return Status::InvalidArgument("StreamContext: missing stream_name");
  }
  protocol::GetString(context, "pipeline", &out.pipeline);
  protocol::GetInt(context, "run_id", &out.run_id);
  RB_RETURN_NOT_OK(ParseWriteMode(context, &out));
  if (out.write_mode == WriteMode::kUpsert && out.primary_key.empty()) {
    if (const protocol::Json* key = protocol::GetMember(context, "primary_key");
        key != nullptr && !key->is_null()) {
      RB_RETURN_NOT_OK(StringList(*key, "primary_key", &out.primary_key));
    }
    if (out.primary_key.empty()) {
      return Status::InvalidArgument("stream " + out.stream_name +
                                     ": write_mode upsert needs a primary_key");
    }
  }
  RB_RETURN_NOT_OK(ParseLimits(context, &out.checkpoint));
  RB_RETURN_NOT_OK(ParsePolicies(context, &out));
  return out;
}

}  // namespace rapidbyte::pgdest
