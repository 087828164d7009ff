// The `none` position kind (SPEC §13.2): full refresh keeps no position.
#include "engine/position_kinds.h"

namespace rapidbyte::engine {
namespace {

using protocol::Json;

class NonePosition final : public Position {
 public:
  std::string_view kind() const override { return "none"; }
  bool has_value() const override { return false; }
  std::unique_ptr<Position> Clone() const override { return std::make_unique<NonePosition>(*this); }
  void Store(state::CursorRecord* row) const override {
    row->position_run_id = stamp.run_id;
    row->position_seq = stamp.seq;
  }
  Json Request() const override { return nullptr; }
  Json Token() const override { return nullptr; }
  Json Result() const override { return nullptr; }
  std::string Describe() const override { return "no position stored"; }
  std::string ValueText() const override { return ""; }
  Json Show() const override { return {{"kind", "none"}}; }
};

class NoneKind final : public PositionKind {
 public:
  std::string_view name() const override { return "none"; }
  bool resumable() const override { return false; }
  std::unique_ptr<Position> FromRow(const state::CursorRecord& row) const override {
    auto position = std::make_unique<NonePosition>();
    position->stamp = {row.position_run_id, row.position_seq};
    return position;
  }
  std::unique_ptr<Position> FromCheckpoint(const SourceCheckpoint&) const override {
    return nullptr;
  }
  std::unique_ptr<Position> FromToken(const Json&, PositionStamp) const override { return nullptr; }
  std::optional<PositionConflict> CheckRow(const state::CursorRecord&) const override {
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<PositionKind> MakeNonePositionKind() { return std::make_unique<NoneKind>(); }

}  // namespace rapidbyte::engine
