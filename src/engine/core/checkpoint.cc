// Decoding of checkpoint payloads (SPEC §4.10).
#include "engine/core/checkpoint.h"

namespace rapidbyte::engine {
namespace {

Status WrongType(std::string_view field, std::string_view expected) {
  return Status::InvalidArgument("checkpoint field '" + std::string(field) + "' must be " +
                                 std::string(expected));
}

}  // namespace

Result<SourceCheckpoint> SourceCheckpoint::Parse(std::string_view text) {
  std::optional<protocol::Json> doc = protocol::ParseJson(text);
  if (!doc) return Status::InvalidArgument("checkpoint is not a JSON object");
  return FromJson(*doc);
}

Result<SourceCheckpoint> SourceCheckpoint::FromJson(const protocol::Json& doc) {
  if (!doc.is_object()) return Status::InvalidArgument("checkpoint is not a JSON object");
  const protocol::Json* body = &doc;
  if (const protocol::Json* payload = protocol::GetMember(doc, "payload")) {
    if (!payload->is_object()) return WrongType("payload", "an object");
    body = payload;
  }
  SourceCheckpoint cp;
  cp.fields = *body;
  if (const protocol::Json* field = protocol::GetMember(*body, "cursor_field")) {
    if (field->is_string()) {
      cp.cursor_field = field->get_ref<const std::string&>();
    } else if (!field->is_null()) {
      return WrongType("cursor_field", "a string or null");
    }
  }
  if (const protocol::Json* value = protocol::GetMember(*body, "cursor_value")) {
    cp.cursor_value = *value;
  }
  if (const protocol::Json* boundary = protocol::GetMember(*body, "cursor_boundary")) {
    if (!boundary->is_object() && !boundary->is_null()) {
      return WrongType("cursor_boundary", "an object or null");
    }
    cp.cursor_boundary = *boundary;
  }
  for (auto [key, out] : {std::pair{"records_processed", &cp.records_processed},
                          std::pair{"bytes_processed", &cp.bytes_processed}}) {
    const protocol::Json* member = protocol::GetMember(*body, key);
    if (member != nullptr && !member->is_null() && !protocol::GetInt(*body, key, out)) {
      return WrongType(key, "an integer");
    }
  }
  return cp;
}

}  // namespace rapidbyte::engine
