// The one place a stream's sync mode picks its position kind (SPEC §13.2).
#include "engine/position.h"

#include "engine/position_kinds.h"

namespace rapidbyte::engine {

std::unique_ptr<PositionKind> MakePositionKind(const config::StreamSpec& stream) {
  switch (stream.sync_mode) {
    case config::SyncMode::kIncremental:
      return MakeCursorPositionKind(stream.cursor_field.value_or(""));
    case config::SyncMode::kCdc:
      return MakeLsnPositionKind();
    case config::SyncMode::kFullRefresh:
      break;
  }
  return MakeNonePositionKind();
}

std::unique_ptr<Position> PositionOfRow(const state::CursorRecord& row) {
  // Kinds that can recognise their own rows, tried in order; `none` holds nothing.
  for (const auto& kind : {MakeLsnPositionKind(), MakeCursorPositionKind("")}) {
    std::unique_ptr<Position> position = kind->FromRow(row);
    if (position->has_value()) return position;
  }
  return MakeNonePositionKind()->FromRow(row);
}

}  // namespace rapidbyte::engine
