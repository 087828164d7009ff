// The `cursor` position kind (SPEC §7.3, §5.5): an incremental stream's last delivered
// cursor value. Its state row columns, the CursorInfo the source receives and the commit
// token's `position` keep the exact shapes they had before positions had kinds.
#include "engine/core/cursor_text.h"
#include "engine/position_kinds.h"

namespace rapidbyte::engine {
namespace {

using protocol::Json;

// "int64" for {"int64": 5}: the CursorValue's variant name.
std::string CursorTypeOf(const Json& value) {
  if (value.is_object() && value.size() == 1) return value.begin().key();
  return "";
}

// Stored JSON text as a document: null when empty or unreadable.
Json ParseStored(const std::string& text) {
  if (text.empty()) return nullptr;
  return protocol::ParseJson(text).value_or(Json());
}

class CursorPosition final : public Position {
 public:
  std::string field;          // the field the position is of
  std::string request_field;  // the configured field, told to the source
  std::string type;           // CursorValue variant ("int64"), "" when unknown
  std::optional<Json> value;  // nullopt: no value stored (the stream starts over)
  Json boundary;              // {"hashes": [...]} | {"overflow": true} | null

  std::string_view kind() const override { return "cursor"; }
  bool has_value() const override { return value.has_value(); }
  std::unique_ptr<Position> Clone() const override {
    return std::make_unique<CursorPosition>(*this);
  }

  void Store(state::CursorRecord* row) const override {
    row->cursor_field = field;
    row->cursor_type = type;
    row->cursor_value = value ? value->dump() : "";
    row->cursor_boundary = boundary.is_null() ? "" : boundary.dump();
    row->position_run_id = stamp.run_id;
    row->position_seq = stamp.seq;
  }
  // CursorInfo (SPEC §4.10).
  Json Request() const override {
    Json info = {{"cursor_field", request_field},
                 {"cursor_type", nullptr},
                 {"last_value", nullptr},
                 {"boundary", nullptr}};
    if (value) {
      info["cursor_type"] = type;
      info["last_value"] = *value;
      info["boundary"] = boundary;
    }
    return info;
  }
  Json Token() const override {
    return {{"cursor_field", field},
            {"cursor_type", type},
            {"cursor_value", value.value_or(Json())},
            {"cursor_boundary", boundary}};
  }
  Json Result() const override {
    if (!value) return nullptr;
    return {{"field", field}, {"value", *value}};
  }
  std::string Describe() const override {
    if (!value) return "no position stored";
    // In the column's type (a timestamp as ISO 8601 UTC, ...); Show() keeps the JSON.
    return "cursor " + field + " (" + type + ") = " + CursorValueText(*value);
  }
  std::string ValueText() const override { return value ? value->dump() : ""; }
  Json Show() const override {
    return {{"kind", "cursor"},
            {"field", field},
            {"type", type.empty() ? Json() : Json(type)},
            {"value", value.value_or(Json())},
            {"boundary", boundary}};
  }
};

class CursorKind final : public PositionKind {
 public:
  explicit CursorKind(std::string field) : field_(std::move(field)) {}

  std::string_view name() const override { return "cursor"; }
  bool resumable() const override { return true; }

  std::unique_ptr<Position> FromRow(const state::CursorRecord& row) const override {
    auto p = Make(row.cursor_field.empty() ? field_ : row.cursor_field);
    p->type = row.cursor_type;
    if (!row.cursor_value.empty()) p->value = ParseStored(row.cursor_value);
    p->boundary = ParseStored(row.cursor_boundary);
    p->stamp = {row.position_run_id, row.position_seq};
    return p;
  }
  std::unique_ptr<Position> FromCheckpoint(const SourceCheckpoint& checkpoint) const override {
    if (!checkpoint.has_position()) return nullptr;
    auto p = Make(checkpoint.cursor_field.empty() ? field_ : checkpoint.cursor_field);
    p->type = CursorTypeOf(checkpoint.cursor_value);
    p->value = checkpoint.cursor_value;
    p->boundary = checkpoint.cursor_boundary;
    return p;
  }
  std::unique_ptr<Position> FromToken(const Json& position, PositionStamp stamp) const override {
    if (!position.is_object()) return nullptr;
    auto p = Make(field_);
    protocol::GetString(position, "cursor_field", &p->field);
    protocol::GetString(position, "cursor_type", &p->type);
    if (const Json* v = protocol::GetMember(position, "cursor_value")) p->value = *v;
    if (const Json* b = protocol::GetMember(position, "cursor_boundary")) p->boundary = *b;
    p->stamp = stamp;
    return p;
  }
  std::optional<PositionConflict> CheckRow(const state::CursorRecord& row) const override {
    if (row.cursor_type == "lsn") {
      return PositionConflict{"POSITION_KIND_CHANGED",
                              "the stored position is a WAL position (the stream was cdc); run "
                              "`rapidbyte state reset` for it to read it incrementally"};
    }
    if (row.cursor_field.empty() || row.cursor_field == field_) return std::nullopt;
    return PositionConflict{"CURSOR_FIELD_CHANGED", "cursor_field changed from '" +
                                                        row.cursor_field + "' to '" + field_ +
                                                        "' since the last run"};
  }

 private:
  std::unique_ptr<CursorPosition> Make(std::string field) const {
    auto p = std::make_unique<CursorPosition>();
    p->field = std::move(field);
    p->request_field = field_.empty() ? p->field : field_;
    return p;
  }

  std::string field_;
};

}  // namespace

std::unique_ptr<PositionKind> MakeCursorPositionKind(std::string cursor_field) {
  return std::make_unique<CursorKind>(std::move(cursor_field));
}

}  // namespace rapidbyte::engine
