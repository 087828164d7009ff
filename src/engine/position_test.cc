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

namespace rapidbyte::engine {
namespace {

TEST(LsnPositionTest, CdcStreamsUseTheLsnKind) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kCdc, std::nullopt));
  EXPECT_EQ(kind->name(), "lsn");
  EXPECT_TRUE(kind->resumable());
  const auto none = kind->FromRow(state::CursorRecord{});
  EXPECT_FALSE(none->has_value());
  EXPECT_TRUE(none->Request().is_null());
  EXPECT_EQ(none->Describe(), "no position stored (the next run takes a snapshot)");
}

TEST(LsnPositionTest, CheckpointToRowToTokenAndBack) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kCdc, std::nullopt));
  const auto p = kind->FromCheckpoint(Checkpoint(
      R"({"payload": {"lsn": "16/b374d848", "tx": {"commit_lsn": "16/B374E000", "index": 12}}})"));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->Token().dump(),
            R"({"lsn":"16/B374D848","tx":{"commit_lsn":"16/B374E000","index":12}})");
  state::CursorRecord row;
  auto stamped = p->Clone();
  stamped->stamp = {4, 9};
  stamped->Store(&row);
  EXPECT_EQ(row.cursor_type, "lsn");
  EXPECT_EQ(row.cursor_field, "");
  const auto stored = kind->FromRow(row);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(stored->Request().dump(), p->Token().dump());
  EXPECT_EQ(stored->Describe(),
            "lsn 16/B374D848, and the first 12 changes of the transaction committed at 16/B374E000");
  // state show, which knows no stream configuration, recognises the row.
  EXPECT_EQ(PositionOfRow(row)->kind(), "lsn");
  EXPECT_EQ(PositionOfRow(row)->Show()["lsn"], "16/B374D848");
  const auto token = kind->FromToken(p->Token(), {5, 1});
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->Token().dump(), p->Token().dump());
}

TEST(LsnPositionTest, MalformedPositionsCarryNone) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kCdc, std::nullopt));
  for (const char* payload :
       {R"({})", R"({"lsn": 5})", R"({"lsn": "16"})", R"({"lsn": "0/1", "tx": 3})",
        R"({"lsn": "0/1", "tx": {"commit_lsn": "0/2", "index": -1}})",
        R"({"lsn": "0/1", "tx": {"commit_lsn": "x", "index": 1}})"}) {
    EXPECT_EQ(kind->FromCheckpoint(Checkpoint(std::string(R"({"payload": )") + payload + "}")),
              nullptr)
        << payload;
    EXPECT_EQ(kind->FromToken(Json::parse(payload), {1, 1}), nullptr) << payload;
  }
}

TEST(LsnPositionTest, WalOrderDecidesWhichIsNewer) {
  const auto kind = MakePositionKind(Stream(config::SyncMode::kCdc, std::nullopt));
  auto at = [&](const char* doc) { return kind->FromToken(Json::parse(doc), {1, 1}); };
  const auto a = at(R"({"lsn": "0/100", "tx": null})");
  const auto inside = at(R"({"lsn": "0/100", "tx": {"commit_lsn": "0/180", "index": 3}})");
  const auto further = at(R"({"lsn": "0/100", "tx": {"commit_lsn": "0/180", "index": 7}})");
  const auto b = at(R"({"lsn": "0/200", "tx": null})");
  EXPECT_TRUE(inside->IsNewerThan(*a));
  EXPECT_FALSE(a->IsNewerThan(*inside));
  EXPECT_TRUE(further->IsNewerThan(*inside));
  EXPECT_TRUE(b->IsNewerThan(*further));
  EXPECT_FALSE(a->IsNewerThan(*b));
}

TEST(LsnPositionTest, AKindChangeIsAConflict) {
  state::CursorRecord cursor_row;
  cursor_row.cursor_field = "id";
  cursor_row.cursor_type = "int64";
  cursor_row.cursor_value = R"({"int64":5})";
  const auto cdc = MakePositionKind(Stream(config::SyncMode::kCdc, std::nullopt));
  ASSERT_TRUE(cdc->CheckRow(cursor_row));
  EXPECT_EQ(cdc->CheckRow(cursor_row)->code, "POSITION_KIND_CHANGED");
  state::CursorRecord lsn_row;
  lsn_row.cursor_type = "lsn";
  lsn_row.cursor_value = R"({"lsn":"0/1","tx":null})";
  EXPECT_FALSE(cdc->CheckRow(lsn_row));
  const auto incremental = MakePositionKind(Stream(config::SyncMode::kIncremental, "id"));
  ASSERT_TRUE(incremental->CheckRow(lsn_row));
  EXPECT_EQ(incremental->CheckRow(lsn_row)->code, "POSITION_KIND_CHANGED");
}

}  // namespace
}  // namespace rapidbyte::engine
