// The position model (SPEC §13.2): each kind's state row, CursorInfo, commit-token position
// and result keep the exact JSON the engine produced before positions had kinds.
#include "engine/position.h"

#include <gtest/gtest.h>

namespace rapidbyte::engine {
namespace {

using protocol::Json;

config::StreamSpec Stream(config::SyncMode mode, std::optional<std::string> cursor_field) {
  config::StreamSpec s;
  s.schema = "public";
  s.table = "users";
  s.sync_mode = mode;
  s.cursor_field = std::move(cursor_field);
  return s;
}

SourceCheckpoint Checkpoint(const std::string& text) {
  auto cp = SourceCheckpoint::Parse(text);
  EXPECT_TRUE(cp.ok()) << cp.status().message();
  return *cp;
}

TEST(PositionTest, SyncModePicksTheKind) {
  EXPECT_EQ(MakePositionKind(Stream(config::SyncMode::kIncremental, "id"))->name(), "cursor");
  EXPECT_TRUE(MakePositionKind(Stream(config::SyncMode::kIncremental, "id"))->resumable());
  EXPECT_EQ(MakePositionKind(Stream(config::SyncMode::kFullRefresh, std::nullopt))->name(), "none");
  EXPECT_FALSE(MakePositionKind(Stream(config::SyncMode::kFullRefresh, std::nullopt))->resumable());
}

TEST(PositionTest, CursorRequestWithoutAStoredValue) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kIncremental, "id"));
  state::CursorRecord row;
  row.cursor_field = "id";
  const auto p = kind->FromRow(row);
  EXPECT_FALSE(p->has_value());
  EXPECT_EQ(p->Request().dump(),
            R"({"boundary":null,"cursor_field":"id","cursor_type":null,"last_value":null})");
  EXPECT_TRUE(p->Result().is_null());
  EXPECT_EQ(p->Describe(), "no position stored");
}

TEST(PositionTest, CursorCheckpointToRowToRequest) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kIncremental, "id"));
  const auto p = kind->FromCheckpoint(Checkpoint(
      R"({"payload": {"cursor_value": {"int64": 5}, "cursor_boundary": {"hashes": ["ab"]}}})"));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(
      p->Token().dump(),
      R"({"cursor_boundary":{"hashes":["ab"]},"cursor_field":"id","cursor_type":"int64","cursor_value":{"int64":5}})");
  state::CursorRecord row;
  row.state_id = "s";
  auto stamped = p->Clone();
  stamped->stamp = {7, 3};
  stamped->Store(&row);
  EXPECT_EQ(row.cursor_field, "id");
  EXPECT_EQ(row.cursor_type, "int64");
  EXPECT_EQ(row.cursor_value, R"({"int64":5})");
  EXPECT_EQ(row.cursor_boundary, R"({"hashes":["ab"]})");
  EXPECT_EQ(row.position_run_id, 7);
  EXPECT_EQ(row.position_seq, 3);
  const auto stored = kind->FromRow(row);
  EXPECT_EQ(
      stored->Request().dump(),
      R"({"boundary":{"hashes":["ab"]},"cursor_field":"id","cursor_type":"int64","last_value":{"int64":5}})");
  EXPECT_EQ(stored->Result().dump(), R"({"field":"id","value":{"int64":5}})");
  EXPECT_EQ(stored->Describe(), "cursor id (int64) = 5");
  EXPECT_EQ(stored->ValueText(), R"({"int64":5})");
}

TEST(PositionTest, CheckpointsWithoutAPositionCarryNone) {
  const auto cursor = MakePositionKind(Stream(config::SyncMode::kIncremental, "id"));
  EXPECT_EQ(cursor->FromCheckpoint(Checkpoint(R"({"cursor_value": null})")), nullptr);
  EXPECT_EQ(cursor->FromCheckpoint(Checkpoint(R"({"cursor_value": "null"})")), nullptr);
  const auto none = MakePositionKind(Stream(config::SyncMode::kFullRefresh, std::nullopt));
  EXPECT_EQ(none->FromCheckpoint(Checkpoint(R"({"cursor_value": {"int64": 1}})")), nullptr);
  EXPECT_EQ(none->FromToken(Json::parse(R"({"cursor_value": {"int64": 1}})"), {1, 1}), nullptr);
  EXPECT_TRUE(none->FromRow(state::CursorRecord{})->Request().is_null());
}

TEST(PositionTest, TokenPositionIsNewerByStamp) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kIncremental, "id"));
  state::CursorRecord row;
  row.cursor_value = R"({"int64":9})";
  row.position_run_id = 2;
  row.position_seq = 5;
  const auto stored = kind->FromRow(row);
  const Json pos = Json::parse(
      R"({"cursor_type": "int64", "cursor_value": {"int64": 3}, "cursor_boundary": null})");
  EXPECT_TRUE(kind->FromToken(pos, {2, 6})->IsNewerThan(*stored));
  EXPECT_TRUE(kind->FromToken(pos, {3, 1})->IsNewerThan(*stored));
  EXPECT_FALSE(kind->FromToken(pos, {2, 5})->IsNewerThan(*stored));
  EXPECT_EQ(kind->FromToken(Json(), {9, 9}), nullptr);
  // Fields of the wrong type are ignored, not thrown on (the token is untrusted).
  const auto odd =
      kind->FromToken(Json::parse(R"({"cursor_field": 5, "cursor_type": []})"), {3, 1});
  ASSERT_NE(odd, nullptr);
  state::CursorRecord adopted;
  odd->Store(&adopted);
  EXPECT_EQ(adopted.cursor_field, "id");
  EXPECT_EQ(adopted.cursor_type, "");
  EXPECT_EQ(adopted.cursor_value, "");
}

TEST(PositionTest, ChangedCursorFieldIsAConflict) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kIncremental, "id"));
  state::CursorRecord row;
  EXPECT_FALSE(kind->CheckRow(row));
  row.cursor_field = "id";
  EXPECT_FALSE(kind->CheckRow(row));
  row.cursor_field = "updated_at";
  const auto conflict = kind->CheckRow(row);
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->code, "CURSOR_FIELD_CHANGED");
  EXPECT_EQ(conflict->message, "cursor_field changed from 'updated_at' to 'id' since the last run");
}

TEST(PositionTest, StateShowRecognisesTheRow) {
  state::CursorRecord row;
  row.cursor_field = "id";
  EXPECT_EQ(PositionOfRow(row)->kind(), "none");
  EXPECT_EQ(PositionOfRow(row)->Show().dump(), R"({"kind":"none"})");
  row.cursor_type = "int64";
  row.cursor_value = R"({"int64":5})";
  row.position_run_id = 4;
  const auto p = PositionOfRow(row);
  EXPECT_EQ(p->kind(), "cursor");
  EXPECT_EQ(p->stamp.run_id, 4);
  EXPECT_EQ(p->Describe(), "cursor id (int64) = 5");
  EXPECT_EQ(p->Show().dump(),
            R"({"boundary":null,"field":"id","kind":"cursor","type":"int64","value":{"int64":5}})");
}

}  // namespace
}  // namespace rapidbyte::engine
