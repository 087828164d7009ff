// Incremental reads through the real connector (SPEC §7.3): typed cursors bound as
// parameters, inclusive reads with boundary de-duplication, checkpoint contents after every
// frame, and cursor type errors.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/connectors/source_postgres/source_pg_harness.h"

namespace rapidbyte::testing {
namespace {

using IncrementalTest = SourcePgTest;

// 2024-01-01 00:00:00 UTC in µs since the epoch, plus n seconds.
std::int64_t T(int n) { return 1704067200000000LL + n * 1000000LL; }

nlohmann::json Incremental(const nlohmann::json& base, const std::string& field,
                           const nlohmann::json& last_checkpoint) {
  nlohmann::json context = base;
  context["sync_mode"] = "incremental";
  context["cursor_info"] = {{"cursor_field", field},
                            {"cursor_type", nullptr},
                            {"last_value", nullptr},
                            {"boundary", nullptr}};
  if (!last_checkpoint.is_null()) {
    const auto& value = last_checkpoint["cursor_value"];
    context["cursor_info"]["cursor_type"] = value.begin().key();
    context["cursor_info"]["last_value"] = value;
    context["cursor_info"]["boundary"] = last_checkpoint["cursor_boundary"];
  }
  return context;
}

std::vector<std::string> Ids(const Table& table) {
  std::vector<std::string> ids;
  for (const auto& row : table.rows) ids.push_back(row[0].value_or("NULL"));
  return ids;
}

TEST_F(IncrementalTest, TwoRunsWithEqualCursorValuesDeliverEveryRowOnce) {
  Sql("CREATE TABLE events (id int PRIMARY KEY, updated_at timestamptz NOT NULL, note text);"
      "INSERT INTO events VALUES (1, '2024-01-01 00:00:01+00', 'a'),"
      " (2, '2024-01-01 00:00:02+00', 'b'), (3, '2024-01-01 00:00:03+00', 'c'),"
      " (4, '2024-01-01 00:00:03+00', 'd'), (5, '2024-01-01 00:00:03+00', 'e'),"
      " (0, '2023-12-31 23:00:00+01', 'x');");
  Sql("INSERT INTO events VALUES (99, '2024-01-01 00:00:01+00', NULL)");
  Sql("ALTER TABLE events ALTER COLUMN updated_at DROP NOT NULL;"
      "INSERT INTO events VALUES (100, NULL, 'never read')");
  nlohmann::json config = Config();
  config["max_batch_rows"] = 2;

  // Run 1: nothing stored. Rows in cursor order, NULL cursors never read.
  ReadRun first = Read(config, Incremental(Stream("events"), "updated_at", nullptr));
  ASSERT_EQ(first.response["status"], "ok") << first.response.dump();
  Table t1 = Decode(first);
  ASSERT_EQ(t1.rows.size(), 7u);
  // Cursor order; rows with equal cursors come in any order among themselves.
  std::vector<std::string> ids = Ids(t1);
  std::sort(ids.begin() + 1, ids.begin() + 3);
  std::sort(ids.begin() + 4, ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"0", "1", "99", "2", "3", "4", "5"}));
  ASSERT_EQ(first.frames.size(), 4u);
  ASSERT_EQ(first.checkpoints.size(), 4u) << "one source checkpoint after every frame";
  for (int kind : first.checkpoint_kinds) EXPECT_EQ(kind, 0);
  const nlohmann::json& cp3 = first.checkpoints[2];  // rows 2, 3 -> [.., 2], [3, 4]
  EXPECT_EQ(cp3["kind"], "source");
  EXPECT_EQ(cp3["stream"], "events");
  EXPECT_EQ(cp3["cursor_field"], "updated_at");
  EXPECT_EQ(cp3["cursor_value"], (nlohmann::json{{"timestamp_micros", T(3)}}));
  EXPECT_EQ(cp3["cursor_boundary"]["hashes"].size(), 2u);
  EXPECT_EQ(cp3["records_processed"], 6);
  const nlohmann::json& last = first.checkpoints.back();
  EXPECT_EQ(last["cursor_value"], (nlohmann::json{{"timestamp_micros", T(3)}}));
  EXPECT_EQ(last["cursor_boundary"]["hashes"].size(), 3u) << last.dump();
  EXPECT_EQ(last["records_processed"], 7);
  EXPECT_EQ(last["bytes_processed"], first.data()["bytes_read"]);
  EXPECT_EQ(first.data()["checkpoint_count"], 4);

  // New rows: one with the stored cursor value, one later; an update that keeps its cursor
  // is not read (documented semantics).
  Sql("INSERT INTO events VALUES (6, '2024-01-01 00:00:03+00', 'f'),"
      " (7, '2024-01-01 00:00:04+00', 'g');"
      "UPDATE events SET note = 'changed' WHERE id = 3;");
  ReadRun second = Read(config, Incremental(Stream("events"), "updated_at", last));
  ASSERT_EQ(second.response["status"], "ok") << second.response.dump();
  Table t2 = Decode(second);
  EXPECT_EQ(Ids(t2), (std::vector<std::string>{"6", "7"}));
  ASSERT_FALSE(second.checkpoints.empty());
  const nlohmann::json& last2 = second.checkpoints.back();
  EXPECT_EQ(last2["cursor_value"], (nlohmann::json{{"timestamp_micros", T(4)}}));
  EXPECT_EQ(last2["cursor_boundary"]["hashes"].size(), 1u);

  // Run 3: nothing new. One schema-only frame, no checkpoint.
  ReadRun third = Read(config, Incremental(Stream("events"), "updated_at", last2));
  ASSERT_EQ(third.response["status"], "ok") << third.response.dump();
  EXPECT_EQ(third.frames.size(), 1u);
  EXPECT_TRUE(Decode(third).rows.empty());
  EXPECT_TRUE(third.checkpoints.empty());
}

TEST_F(IncrementalTest, IntegerTextAndDateCursorsResumeFromStoredValues) {
  Sql("CREATE TABLE items (id bigint PRIMARY KEY, code varchar(10) NOT NULL, day date);"
      "INSERT INTO items SELECT g, 'c' || lpad(g::text, 3, '0'), DATE '2024-01-01' + g "
      "FROM generate_series(1, 10) g;");
  ReadRun by_id = Read(Incremental(Stream("items"), "id",
                                   {{"cursor_value", {{"int64", 7}}},
                                    {"cursor_boundary", {{"hashes", nlohmann::json::array()}}}}));
  ASSERT_EQ(by_id.response["status"], "ok") << by_id.response.dump();
  EXPECT_EQ(Ids(Decode(by_id)), (std::vector<std::string>{"7", "8", "9", "10"}));
  EXPECT_EQ(by_id.checkpoints.back()["cursor_value"], (nlohmann::json{{"int64", 10}}));

  ReadRun by_code = Read(Incremental(Stream("items"), "code",
                                     {{"cursor_value", {{"utf8", "c009"}}},
                                      {"cursor_boundary", nullptr}}));
  ASSERT_EQ(by_code.response["status"], "ok") << by_code.response.dump();
  EXPECT_EQ(Ids(Decode(by_code)), (std::vector<std::string>{"9", "10"}));
  EXPECT_EQ(by_code.checkpoints.back()["cursor_value"], (nlohmann::json{{"utf8", "c010"}}));

  // 2024-01-09 is day 19731 since 1970-01-01.
  ReadRun by_day = Read(Incremental(Stream("items"), "day",
                                    {{"cursor_value", {{"date32", 19731}}},
                                     {"cursor_boundary", nullptr}}));
  ASSERT_EQ(by_day.response["status"], "ok") << by_day.response.dump();
  EXPECT_EQ(Ids(Decode(by_day)), (std::vector<std::string>{"8", "9", "10"}));
  EXPECT_EQ(by_day.checkpoints.back()["cursor_value"], (nlohmann::json{{"date32", 19733}}));
}

TEST_F(IncrementalTest, DecimalCursorAndTableWithoutPrimaryKey) {
  Sql("CREATE TABLE prices (amount numeric(8,2), label text);"
      "INSERT INTO prices VALUES (1.50, 'a'), (2.25, 'b'), (2.25, 'c'), (3.00, 'd');");
  ReadRun first = Read(Incremental(Stream("prices"), "amount", nullptr));
  ASSERT_EQ(first.response["status"], "ok") << first.response.dump();
  const nlohmann::json last = first.checkpoints.back();
  EXPECT_EQ(last["cursor_value"],
            (nlohmann::json{{"decimal", {{"value", "3.00"}, {"scale", 2}}}}));
  Sql("INSERT INTO prices VALUES (3.00, 'e'), (3.00, 'd2')");
  ReadRun second = Read(Incremental(Stream("prices"), "amount", last));
  ASSERT_EQ(second.response["status"], "ok") << second.response.dump();
  Table t = Decode(second);
  ASSERT_EQ(t.rows.size(), 2u) << "the row hashed over all fields was already delivered";
  EXPECT_EQ(second.checkpoints.back()["cursor_boundary"]["hashes"].size(), 3u);
}

TEST_F(IncrementalTest, CursorTypeErrorsAreConfigErrors) {
  Sql("CREATE TABLE m (id int PRIMARY KEY, ts timestamptz, f float8)");
  ReadRun changed = Read(Incremental(Stream("m"), "ts",
                                     {{"cursor_value", {{"int64", 5}}}, {"cursor_boundary", nullptr}}));
  ASSERT_EQ(changed.response["status"], "err");
  EXPECT_EQ(changed.error()["code"], "CURSOR_TYPE_CHANGED");
  EXPECT_EQ(changed.error()["category"], "config");
  EXPECT_NE(changed.error()["message"].get<std::string>().find("state reset"), std::string::npos);

  ReadRun unsupported = Read(Incremental(Stream("m"), "f", nullptr));
  ASSERT_EQ(unsupported.response["status"], "err");
  EXPECT_EQ(unsupported.error()["code"], "CURSOR_TYPE_UNSUPPORTED");
  EXPECT_NE(unsupported.error()["message"].get<std::string>().find("double precision"),
            std::string::npos);
}

}  // namespace
}  // namespace rapidbyte::testing
