// dest-postgres applying CDC change frames (SPEC §14.5, issue #17 item 3) through the real
// plugin host against a real PostgreSQL: the mirror (write_mode upsert) collapses each frame
// to the last change per key and applies deletes, updates and inserts in the commit
// record's transaction, keeps the destination's value of unchanged (TOASTed) columns,
// truncates in order and, with soft_delete, keeps deleted rows with _rb_deleted_at; the
// change log (write_mode append) keeps every change with its metadata. Counts of changes are
// counter metrics at every commit.
#include <algorithm>
#include <optional>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "tests/connectors/dest_postgres/dest_harness.h"

namespace rapidbyte::dest_test {
namespace {

using arrow::DataType;
using arrow::TimeUnit;
using RowList = std::vector<std::vector<std::string>>;

// 2024-01-31 10:30:00 UTC in microseconds; commit times are offsets from it.
constexpr std::int64_t kT0 = 1706697000000000;

// One change row of the "items" table: id bigint (the key), name varchar(64), body text (the
// large, TOASTed column that updates may leave out), qty integer. In change frames every
// table column is nullable: deletes and truncates carry nulls.
struct Change {
  std::string op;
  std::optional<std::int64_t> id;
  std::optional<std::string> name, body;
  std::optional<std::int32_t> qty;
  std::int64_t lsn = 100;
  std::optional<std::int64_t> commit_us = kT0;
  std::vector<std::string> unchanged;  // empty: _rb_unchanged is null
};

Change Make(std::string op, std::optional<std::int64_t> id = std::nullopt,
            std::optional<std::string> name = std::nullopt,
            std::optional<std::string> body = std::nullopt,
            std::optional<std::int32_t> qty = std::nullopt) {
  Change c;
  c.op = std::move(op);
  c.id = id;
  c.name = std::move(name);
  c.body = std::move(body);
  c.qty = qty;
  return c;
}
Change Ins(std::int64_t id, std::string name, std::string body, std::int32_t qty) {
  return Make("insert", id, std::move(name), std::move(body), qty);
}
Change Upd(std::int64_t id, std::string name, std::string body, std::int32_t qty) {
  return Make("update", id, std::move(name), std::move(body), qty);
}
// An update whose body was not sent (unchanged TOAST): null in the frame, listed as unchanged.
Change UpdKeepBody(std::int64_t id, std::string name, std::int32_t qty) {
  Change c = Make("update", id, std::move(name), std::nullopt, qty);
  c.unchanged = {"body"};
  return c;
}
Change Del(std::int64_t id) { return Make("delete", id); }
Change Trunc() { return Make("truncate"); }
Change At(Change c, std::int64_t lsn, std::optional<std::int64_t> commit_us) {
  c.lsn = lsn;
  c.commit_us = commit_us;
  return c;
}

std::shared_ptr<const arrow::Schema> ItemsSchema(bool with_metadata = true) {
  std::vector<arrow::Field> fields = {
      PgField("id", DataType::Int64(), true, "bigint"),
      PgField("name", DataType::Utf8(), true, "character varying(64)"),
      PgField("body", DataType::Utf8(), true, "text"),
      PgField("qty", DataType::Int32(), true, "integer")};
  if (with_metadata) {
    fields.push_back(arrow::Field("_rb_op", DataType::Utf8(), false));
    fields.push_back(arrow::Field("_rb_lsn", DataType::Int64(), false));
    fields.push_back(arrow::Field("_rb_commit_ts", DataType::Timestamp(TimeUnit::kMicro, "UTC")));
    fields.push_back(arrow::Field("_rb_unchanged", DataType::List(DataType::Utf8())));
  }
  return std::make_shared<const arrow::Schema>(
      std::move(fields),
      arrow::KeyValueMetadata{{std::string(arrow::kPgRelationKey), "public.items"},
                              {std::string(arrow::kPgPrimaryKeyKey), "[\"id\"]"}});
}

template <typename B, typename T>
void Put(B* builder, const std::optional<T>& value) {
  const Status st = value ? builder->Append(*value) : builder->AppendNull();
  EXPECT_TRUE(st.ok()) << st.ToString();
}

Frame ChangeFrame(const std::vector<Change>& changes) {
  auto rbb = arrow::RecordBatchBuilder::Make(ItemsSchema());
  EXPECT_TRUE(rbb.ok()) << rbb.status().ToString();
  auto& b = **rbb;
  auto ok = [](const Status& st) { EXPECT_TRUE(st.ok()) << st.ToString(); };
  for (const Change& c : changes) {
    Put(b.column_as<arrow::Int64Builder>(0), c.id);
    Put(b.column_as<arrow::StringBuilder>(1), c.name);
    Put(b.column_as<arrow::StringBuilder>(2), c.body);
    Put(b.column_as<arrow::Int32Builder>(3), c.qty);
    ok(b.column_as<arrow::StringBuilder>(4)->Append(c.op));
    ok(b.column_as<arrow::Int64Builder>(5)->Append(c.lsn));
    Put(b.column_as<arrow::Int64Builder>(6), c.commit_us);
    auto* unchanged = b.column_as<arrow::ListBuilder>(7);
    if (c.unchanged.empty()) {
      ok(unchanged->AppendNull());
    } else {
      ok(unchanged->Append());
      for (const std::string& name : c.unchanged) {
        ok(unchanged->item_builder_as<arrow::StringBuilder>()->Append(name));
      }
    }
  }
  auto batch = b.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return EncodeFrame(*batch);
}

void ExpectOk(const RunOutcome& out) {
  ASSERT_EQ(out.open["status"], "ok") << out.open.dump();
  ASSERT_EQ(out.write["status"], "ok") << out.write.dump();
}

// The last value of each changes_* counter, in the order inserted, updated, deleted,
// truncated; -1 when never reported.
std::vector<std::int64_t> ChangeCounters(const RunOutcome& out) {
  std::vector<std::int64_t> last(4, -1);
  const char* names[] = {"changes_inserted", "changes_updated", "changes_deleted",
                         "changes_truncated"};
  for (const Json& m : out.metrics) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (m["name"] == names[i]) last[i] = m["value"]["counter"].get<std::int64_t>();
    }
  }
  return last;
}

class DestPostgresCdc : public DestPostgresTest {
 protected:
  RunSpec Spec(const Json& write_mode, std::vector<Frame> frames, Json config = Json::object()) {
    RunSpec spec;
    spec.config = std::move(config);
    spec.context = StreamContext("public.items", write_mode);
    spec.context["sync_mode"] = "cdc";
    spec.frames = std::move(frames);
    return spec;
  }
  RunSpec Mirror(std::vector<Frame> frames, Json config = Json::object()) {
    return Spec({{"upsert", {{"primary_key", {"id"}}}}}, std::move(frames), std::move(config));
  }
  RowList Items() { return Rows("SELECT id, name, body, coalesce(qty::text, '-') FROM public.items ORDER BY id"); }
  std::string One(const std::string& sql) {
    RowList rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? "<no rows>" : rows[0][0];
  }
};

// --- The mirror -----------------------------------------------------------------------------

TEST_F(DestPostgresCdc, MirrorAppliesInsertsUpdatesAndDeletesAcrossFrames) {
  for (const std::string method : {"copy", "insert"}) {
    SCOPED_TRACE("load_method " + method);
    Exec("DROP TABLE IF EXISTS public.items; DROP TABLE IF EXISTS public.rapidbyte_watermarks");
    RunOutcome out = Run(Mirror(
        {ChangeFrame({Ins(1, "a", "body1", 1), Ins(2, "b", "body2", 2), Ins(3, "c", "body3", 3)}),
         ChangeFrame({Upd(2, "b2", "body2", 20), Del(3), Ins(4, "d", "body4", 4)}),
         ChangeFrame({Upd(1, "a", "body1", 10), Del(4)})},
        {{"load_method", method}}));
    ExpectOk(out);
    EXPECT_EQ(Items(), (RowList{{"1", "a", "body1", "10"}, {"2", "b2", "body2", "20"}}));
    // The source table's columns only, with its key; no metadata columns.
    EXPECT_EQ(ColumnTypes("public.items"),
              (std::vector<std::string>{"id: bigint not null", "name: character varying(64)",
                                        "body: text", "qty: integer"}));
    EXPECT_EQ(One("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                  "WHERE conrelid = 'public.items'::regclass AND contype = 'p'"),
              "PRIMARY KEY (id)");
    EXPECT_EQ(ChangeCounters(out), (std::vector<std::int64_t>{4, 2, 2, 0}));
    EXPECT_EQ(out.write["data"]["records_written"], 8);
  }
}

TEST_F(DestPostgresCdc, SeveralChangesOfAKeyInOneFrameCollapseToTheLast) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(9, "keep", "b9", 9), Ins(8, "gone", "b8", 8)})})));
  ExpectOk(Run(Mirror({ChangeFrame({
      Ins(1, "a1", "x", 1), Upd(1, "a2", "x", 2), Upd(1, "a3", "y", 3),  // -> a3
      Ins(2, "b1", "x", 1), Upd(2, "b2", "x", 2), Del(2),                // -> gone
      Upd(9, "k1", "b9", 1), Upd(9, "k2", "b9", 2),                      // existing -> k2
      Upd(8, "g1", "b8", 1), Del(8),                                     // existing -> gone
  })})));
  EXPECT_EQ(Items(), (RowList{{"1", "a3", "y", "3"}, {"9", "k2", "b9", "2"}}));
}

TEST_F(DestPostgresCdc, ADeleteThenAnInsertOfTheSameKeyStaysAnInsert) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "old", "b-old", 1)})})));
  ExpectOk(Run(Mirror({ChangeFrame({
      Del(1), Ins(1, "new", "b-new", 2),              // existing key: replaced
      Ins(7, "x", "b7", 7), Del(7), Ins(7, "y", "b7y", 8),  // new key: inserted once
  })})));
  EXPECT_EQ(Items(), (RowList{{"1", "new", "b-new", "2"}, {"7", "y", "b7y", "8"}}));
}

// An unchanged body arrives null; it must not overwrite the value, wherever that is.
TEST_F(DestPostgresCdc, UnchangedColumnsKeepTheirValue) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "a", "long body 1", 1), Ins(4, "d", "b4", 4)})})));
  ExpectOk(Run(Mirror({ChangeFrame({
      UpdKeepBody(1, "a2", 2),                            // the destination's body stays
      Ins(2, "b", "long body 2", 1), UpdKeepBody(2, "b2", 5),  // from the insert in this frame
      Ins(3, "c", "b3", 1), UpdKeepBody(3, "c2", 2), UpdKeepBody(3, "c3", 3),  // through a chain
      Upd(4, "d2", "b4 new", 5), UpdKeepBody(4, "d3", 6),  // from the update in this frame
  })})));
  EXPECT_EQ(Items(), (RowList{{"1", "a2", "long body 1", "2"},
                              {"2", "b2", "long body 2", "5"},
                              {"3", "c3", "b3", "3"},
                              {"4", "d3", "b4 new", "6"}}));
  // A later frame leaves it out again: still kept.
  ExpectOk(Run(Mirror({ChangeFrame({UpdKeepBody(2, "b3", 6)})})));
  EXPECT_EQ(Items()[1], (std::vector<std::string>{"2", "b3", "long body 2", "6"}));
}

TEST_F(DestPostgresCdc, ATruncateAppliesInOrderWithinTheFrame) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "a", "b1", 1), Ins(2, "b", "b2", 2)})})));
  RunOutcome out = Run(Mirror({ChangeFrame({
      Ins(3, "c", "b3", 3), Upd(1, "a2", "b1", 10),  // before: applied, then truncated away
      Trunc(),
      Ins(4, "d", "b4", 4), UpdKeepBody(4, "d2", 40),  // after: applied to the empty table
      Ins(2, "b-again", "b2x", 2),
  })}));
  ExpectOk(out);
  EXPECT_EQ(Items(), (RowList{{"2", "b-again", "b2x", "2"}, {"4", "d2", "b4", "40"}}));
  EXPECT_EQ(ChangeCounters(out), (std::vector<std::int64_t>{3, 2, 0, 1}));
}

TEST_F(DestPostgresCdc, SoftDeleteKeepsDeletedRowsAndRevivesThem) {
  const Json config = {{"soft_delete", true}};
  ExpectOk(Run(Mirror(
      {ChangeFrame({Ins(1, "a", "b1", 1), Ins(2, "b", "b2", 2), Ins(3, "c", "b3", 3)})}, config)));
  EXPECT_EQ(ColumnTypes("public.items"),
            (std::vector<std::string>{"id: bigint not null", "name: character varying(64)",
                                      "body: text", "qty: integer",
                                      "_rb_deleted_at: timestamp with time zone"}));
  ExpectOk(Run(Mirror({ChangeFrame({At(Del(2), 200, kT0 + 5000000),  // 10:30:05
                                    At(Del(3), 201, std::nullopt)})},  // snapshot-like: now()
                      config)));
  const std::string deleted =
      "SELECT id, name, coalesce(to_char(_rb_deleted_at AT TIME ZONE 'UTC', 'HH24:MI:SS'), '-'), "
      "_rb_deleted_at IS NOT NULL FROM public.items ORDER BY id";
  RowList rows = Rows(deleted);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "a", "-", "f"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "b", "10:30:05", "t"}));
  EXPECT_EQ(rows[2][3], "t");
  EXPECT_EQ(One("SELECT _rb_deleted_at > now() - interval '1 hour' FROM public.items WHERE id = 3"),
            "t");
  // A re-insert revives the row; an update of a deleted-then-inserted key too.
  ExpectOk(Run(Mirror({ChangeFrame({Ins(2, "b-back", "b2", 22), Ins(3, "c-back", "b3", 33),
                                    UpdKeepBody(3, "c-back2", 34)})},
                      config)));
  EXPECT_EQ(Rows(deleted), (RowList{{"1", "a", "-", "f"}, {"2", "b-back", "-", "f"},
                                    {"3", "c-back2", "-", "f"}}));
  // A truncate marks every live row deleted at its commit time and removes nothing.
  ExpectOk(Run(Mirror({ChangeFrame({At(Del(1), 300, kT0 + 7000000),
                                    At(Trunc(), 301, kT0 + 9000000),
                                    At(Ins(4, "d", "b4", 4), 302, kT0 + 10000000)})},
                      config)));
  EXPECT_EQ(Rows(deleted), (RowList{{"1", "a", "10:30:07", "t"},
                                    {"2", "b-back", "10:30:09", "t"},
                                    {"3", "c-back2", "10:30:09", "t"},
                                    {"4", "d", "-", "f"}}));
}

TEST_F(DestPostgresCdc, SoftDeleteOnAnExistingMirrorAddsItsColumnWhateverThePolicy) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "a", "b1", 1)})})));
  RunSpec spec = Mirror({ChangeFrame({Del(1)})}, {{"soft_delete", true}});
  spec.context["policies"]["schema_evolution"]["new_column"] = "fail";
  spec.context["policies"]["schema_evolution"]["removed_column"] = "fail";
  ExpectOk(Run(spec));
  EXPECT_EQ(One("SELECT id || ':' || (_rb_deleted_at IS NOT NULL) FROM public.items"), "1:true");
  // And turning it off again does not count the column as removed.
  spec = Mirror({ChangeFrame({Ins(2, "b", "b2", 2)})});
  spec.context["policies"]["schema_evolution"]["removed_column"] = "fail";
  ExpectOk(Run(spec));
  EXPECT_EQ(One("SELECT count(*) FROM public.items"), "2");
}

// on_data_error skip: a change the mirror rejects is skipped and the others apply in order.
TEST_F(DestPostgresCdc, SkippedChangesLeaveTheOthersInOrder) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "a", "b1", 1)})})));
  Exec("ALTER TABLE public.items ADD CONSTRAINT small CHECK (qty < 100)");
  RunSpec spec = Mirror({ChangeFrame({Upd(1, "a2", "b1", 2), Ins(2, "b", "b2", 500),
                                      UpdKeepBody(1, "a3", 3), Trunc(), Ins(3, "c", "b3", 3),
                                      Upd(3, "c2", "b3", 300), Ins(4, "d", "b4", 4)})});
  spec.context["policies"]["on_data_error"] = "skip";
  RunOutcome out = Run(spec);
  ExpectOk(out);
  EXPECT_EQ(out.write["data"]["records_failed"], 2);
  EXPECT_EQ(Items(), (RowList{{"3", "c", "b3", "3"}, {"4", "d", "b4", "4"}}));
  EXPECT_EQ(ChangeCounters(out), (std::vector<std::int64_t>{3, 3, 0, 1}));
}

// --- The change log ---------------------------------------------------------------------------

TEST_F(DestPostgresCdc, ChangeLogKeepsEveryChangeWithItsMetadata) {
  RunOutcome out = Run(Spec("append", {ChangeFrame({At(Ins(1, "a", "b1", 1), 100, std::nullopt),
                                                    At(UpdKeepBody(1, "a2", 2), 110, kT0)}),
                                       ChangeFrame({At(Del(1), 120, kT0 + 1000000),
                                                    At(Trunc(), 130, kT0 + 2000000)})}));
  ExpectOk(out);
  // Deletes and truncates carry nulls, so the table's columns are nullable here.
  EXPECT_EQ(ColumnTypes("public.items"),
            (std::vector<std::string>{"id: bigint", "name: character varying(64)", "body: text",
                                      "qty: integer", "_rb_op: text not null",
                                      "_rb_lsn: bigint not null",
                                      "_rb_commit_ts: timestamp with time zone",
                                      "_rb_unchanged: text[]"}));
  EXPECT_EQ(Rows("SELECT coalesce(id::text, '-'), coalesce(name, '-'), coalesce(body, '-'), "
                 "coalesce(qty::text, '-'), _rb_op, _rb_lsn, "
                 "coalesce(to_char(_rb_commit_ts AT TIME ZONE 'UTC', 'HH24:MI:SS'), '-'), "
                 "coalesce(_rb_unchanged::text, '-') FROM public.items ORDER BY _rb_lsn"),
            (RowList{{"1", "a", "b1", "1", "insert", "100", "-", "-"},
                     {"1", "a2", "-", "2", "update", "110", "10:30:00", "{body}"},
                     {"1", "-", "-", "-", "delete", "120", "10:30:01", "-"},
                     {"-", "-", "-", "-", "truncate", "130", "10:30:02", "-"}}));
  EXPECT_EQ(ChangeCounters(out), (std::vector<std::int64_t>{1, 1, 1, 1}));
}

TEST_F(DestPostgresCdc, ChangeLogOnAFullRefreshTableDropsItsNotNulls) {
  Exec("CREATE TABLE public.items (id bigint NOT NULL, name varchar(64) NOT NULL, body text NOT "
       "NULL, qty integer)");
  ExpectOk(Run(Spec("append", {ChangeFrame({Ins(1, "a", "b1", 1), Del(1)})})));
  EXPECT_EQ(Rows("SELECT _rb_op, coalesce(name, '-') FROM public.items ORDER BY _rb_op DESC"),
            (RowList{{"insert", "a"}, {"delete", "-"}}));
}

// --- Counts, commits and exactly-once ------------------------------------------------------

// The counters are what each commit made durable, so they are reported at commits.
TEST_F(DestPostgresCdc, CountsAreCounterMetricsAtEveryCommit) {
  RunSpec spec = Mirror({ChangeFrame({Ins(1, "a", "b", 1), Ins(2, "b", "b", 1)}),
                         ChangeFrame({Upd(1, "a2", "b", 2), Del(2), Trunc()}),
                         ChangeFrame({Ins(3, "c", "b", 3)})});
  spec.context["limits"]["checkpoint_interval_rows"] = 2;
  RunOutcome out = Run(spec);
  ExpectOk(out);
  std::vector<std::vector<std::int64_t>> at_commits;
  std::vector<std::int64_t> current(4, 0);
  for (const Json& m : out.metrics) {
    const std::string name = m["name"];
    if (name.rfind("changes_", 0) != 0) continue;
    const std::int64_t v = m["value"]["counter"];
    if (name == "changes_inserted") current[0] = v;
    if (name == "changes_updated") current[1] = v;
    if (name == "changes_deleted") current[2] = v;
    if (name == "changes_truncated") {
      current[3] = v;
      at_commits.push_back(current);  // the four come together, truncated last
    }
  }
  // Commits after the first frame (2 rows), the second (3 more) and at the end.
  EXPECT_EQ(at_commits,
            (std::vector<std::vector<std::int64_t>>{{2, 0, 0, 0}, {2, 1, 1, 1}, {3, 1, 1, 1}}));
  EXPECT_EQ(out.checkpoints.size(), 3u);
  EXPECT_EQ(Items(), (RowList{{"3", "c", "b", "3"}}));
}

// SPEC §14.2: while the source has no position (its snapshot is not whole), the checkpoint
// intervals commit nothing: a snapshot cut short leaves nothing behind, and the whole
// snapshot commits once, at the end.
TEST_F(DestPostgresCdc, ASnapshotWithoutAPositionCommitsOnlyAtTheEnd) {
  for (const Json& write_mode : {Json("append"), Json{{"upsert", {{"primary_key", {"id"}}}}}}) {
    SCOPED_TRACE(write_mode.dump());
    Exec("DROP TABLE IF EXISTS public.items");
    RunSpec spec = Mirror({ChangeFrame({Ins(1, "a", "b", 1), Ins(2, "b", "b", 1)}),
                           ChangeFrame({Ins(3, "c", "b", 3)})});
    spec.context["write_mode"] = write_mode;
    spec.context["limits"]["checkpoint_interval_rows"] = 1;
    spec.token_position = nullptr;
    RunOutcome out = Run(spec);
    ExpectOk(out);
    EXPECT_EQ(out.checkpoints.size(), 1u);  // the final commit only
    EXPECT_EQ(Rows("SELECT count(*) FROM public.items WHERE id IS NOT NULL")[0][0], "3");
  }
}

TEST_F(DestPostgresCdc, ARerunAfterACompletedCommitWritesNothingTwice) {
  for (const Json& write_mode : {Json("append"), Json{{"upsert", {{"primary_key", {"id"}}}}}}) {
    SCOPED_TRACE(write_mode.dump());
    Exec("DROP TABLE IF EXISTS public.items; DROP TABLE IF EXISTS public.rapidbyte_watermarks");
    RunSpec spec = Spec(write_mode, {ChangeFrame({Ins(1, "a", "b1", 1), Ins(2, "b", "b2", 2)}),
                                     ChangeFrame({Upd(1, "a2", "b1", 5), Del(2)})});
    RunOutcome first = Run(spec);
    ExpectOk(first);
    const RowList before = Rows("SELECT * FROM public.items ORDER BY 1, 2");
    ASSERT_EQ(first.minted_tokens.size(), 1u);
    EXPECT_EQ(Rows("SELECT commit_token->>'seq', records_committed, finished "
                   "FROM public.rapidbyte_watermarks"),
              (RowList{{"1", "4", "t"}}));
    // The engine answers the reported token with "already complete": nothing is written.
    spec.already_complete = true;
    RunOutcome again = Run(spec);
    ExpectOk(again);
    ASSERT_EQ(again.reported_tokens.size(), 1u);
    EXPECT_EQ(Json::parse(again.reported_tokens[0]), Json::parse(first.minted_tokens[0]));
    EXPECT_EQ(again.write["data"]["records_written"], 0);
    EXPECT_EQ(std::count(again.events.begin(), again.events.end(), "next_batch"), 0);
    EXPECT_EQ(ChangeCounters(again), (std::vector<std::int64_t>{-1, -1, -1, -1}));
    EXPECT_EQ(Rows("SELECT * FROM public.items ORDER BY 1, 2"), before);
  }
}

TEST_F(DestPostgresCdc, AFailedFrameRollsBackItsChangesAndTheirCounts) {
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "a", "b1", 1)})})));
  RunSpec spec = Mirror({ChangeFrame({Upd(1, "a2", "b1", 2), Ins(2, "b", "b2", 2)}),
                         ChangeFrame({Del(1)})});
  spec.fail_after_frames = 1;
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "UPSTREAM_FAILED");
  EXPECT_EQ(Items(), (RowList{{"1", "a", "b1", "1"}}));
  EXPECT_EQ(ChangeCounters(out), (std::vector<std::int64_t>{-1, -1, -1, -1}));
}

// --- Errors ---------------------------------------------------------------------------------

TEST_F(DestPostgresCdc, UpsertWithoutAKeyIsAConfigErrorNamingTheField) {
  RunOutcome out = Run(Spec("upsert", {ChangeFrame({Ins(1, "a", "b1", 1)})}));
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["category"], "config");
  EXPECT_EQ(out.write["error"]["details"]["field"], "primary_key");
  EXPECT_EQ(out.write["error"]["message"],
            "primary_key: stream public.items: write_mode upsert needs a primary_key");

  // A key that is not one of the table's columns (a metadata column is not one).
  for (const std::string key : {"sku", "_rb_lsn"}) {
    out = Run(Spec({{"upsert", {{"primary_key", {key}}}}}, {ChangeFrame({Ins(1, "a", "b1", 1)})}));
    ASSERT_EQ(out.write["status"], "err") << out.write.dump();
    EXPECT_EQ(out.write["error"]["category"], "config");
    EXPECT_EQ(out.write["error"]["message"], "stream public.items: primary_key column '" + key +
                                                 "' is not in stream public.items");
  }
  EXPECT_EQ(One("SELECT to_regclass('public.items') IS NULL"), "t");
}

TEST_F(DestPostgresCdc, AFrameWithoutTheMetadataColumnsIsRefused) {
  auto rbb = arrow::RecordBatchBuilder::Make(ItemsSchema(/*with_metadata=*/false));
  ASSERT_TRUE(rbb.ok());
  auto batch = (*rbb)->Finish();
  ASSERT_TRUE(batch.ok());
  RunOutcome out = Run(Mirror({EncodeFrame(*batch)}));
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "INVALID_CDC_FRAME");
  EXPECT_EQ(out.write["error"]["message"],
            "stream public.items: cdc frames of stream public.items need the column _rb_op "
            "(utf8)");
}

TEST_F(DestPostgresCdc, ReplaceAndUnknownOperationsAreRefused) {
  RunOutcome out = Run(Spec("replace", {ChangeFrame({Ins(1, "a", "b1", 1)})}));
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["details"]["field"], "write_mode");
  EXPECT_EQ(out.write["error"]["message"],
            "write_mode: stream public.items: replace cannot apply cdc changes (allowed: upsert, "
            "append)");

  out = Run(Mirror({ChangeFrame({Ins(1, "a", "b1", 1), Make("upsert", 2, "b", "b2", 2)})}));
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "INVALID_CDC_FRAME");
  EXPECT_EQ(out.write["error"]["message"],
            "stream public.items: row 1 of a cdc frame has _rb_op 'upsert' (allowed: insert, "
            "update, delete, truncate)");
  EXPECT_EQ(One("SELECT to_regclass('public.items') IS NULL"), "t");  // rolled back
}

// --- Schema evolution and the plan ---------------------------------------------------------

TEST_F(DestPostgresCdc, SchemaEvolutionSeesOnlyTheTablesColumns) {
  Exec("CREATE TABLE public.items (id bigint PRIMARY KEY, name varchar(64) NOT NULL, body text)");
  ExpectOk(Run(Mirror({ChangeFrame({Ins(1, "a", "b1", 1)})})));
  EXPECT_EQ(ColumnTypes("public.items"),
            (std::vector<std::string>{"id: bigint not null", "name: character varying(64)",
                                      "body: text", "qty: integer"}));
  RunSpec spec = Mirror({ChangeFrame({Upd(1, "a2", "b1", 2)})});
  spec.context["policies"]["schema_evolution"]["new_column"] = "fail";
  ExpectOk(Run(spec));  // no new column: the metadata is not one
  Exec("ALTER TABLE public.items DROP COLUMN qty");
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(out.write["error"]["message"],
            "stream public.items: destination.schema_evolution.new_column is 'fail' and column "
            "'qty' (integer) is new in stream public.items");
}

TEST_F(DestPostgresCdc, ThePlanDescribesTheMirrorAndTheChangeLog) {
  Json columns = Json::array();
  for (const auto& [name, type, nullable, pg] :
       std::vector<std::tuple<std::string, std::string, bool, std::string>>{
           {"id", "int64", false, "bigint"},
           {"name", "utf8", false, "character varying(64)"}}) {
    columns.push_back({{"name", name}, {"data_type", type}, {"nullable", nullable}, {"pg_type", pg}});
  }
  const Json source_schema = {{"columns", columns}, {"primary_key", {"id"}}};
  Json mirror = StreamContext("public.items", {{"upsert", {{"primary_key", {"id"}}}}});
  mirror["sync_mode"] = "cdc";
  mirror["source_schema"] = source_schema;
  Json log = StreamContext("public.changes", "append");
  log["sync_mode"] = "cdc";
  log["source_schema"] = source_schema;
  Json result = Validate(Json{{"soft_delete", true}}, Json::array({mirror, log}));
  ASSERT_EQ(result["status"], "ok") << result.dump();
  const Json& checks = result["data"]["checks"];
  ASSERT_EQ(checks.size(), 3u) << result.dump();
  // Change frames carry nulls in every column, so the table's columns are nullable (the key is
  // NOT NULL through the primary key) whatever the source's catalog says.
  const Json& m = checks[1]["plan"];
  EXPECT_EQ(m["action"], "create");
  EXPECT_EQ(m["statements"],
            Json::array({"CREATE TABLE \"public\".\"items\" (\"id\" bigint, \"name\" character "
                         "varying(64), CONSTRAINT \"items_pkey\" PRIMARY KEY (\"id\"))",
                         "ALTER TABLE \"public\".\"items\" ADD COLUMN IF NOT EXISTS "
                         "\"_rb_deleted_at\" timestamp with time zone"}));
  EXPECT_EQ(m["notes"],
            Json::array({"cdc mirror: each frame's changes are collapsed to the last change per "
                         "key (id) and applied in one transaction with the commit record: "
                         "deletes, then updates and inserts; columns in _rb_unchanged keep their "
                         "value; a truncate truncates the table in order",
                         "soft_delete: deleted rows stay, with _rb_deleted_at set to the "
                         "change's commit time; a truncate marks every row deleted"}));
  const Json& l = checks[2]["plan"];
  EXPECT_EQ(l["action"], "create");
  EXPECT_EQ(l["statements"],
            Json::array({"CREATE TABLE \"public\".\"changes\" (\"id\" bigint, \"name\" character "
                         "varying(64), \"_rb_op\" text NOT NULL, \"_rb_lsn\" bigint NOT NULL, "
                         "\"_rb_commit_ts\" timestamp with time zone, \"_rb_unchanged\" text[])"}));
  EXPECT_EQ(l["notes"], Json::array({"cdc change log: every change is one row with _rb_op, "
                                     "_rb_lsn, _rb_commit_ts and _rb_unchanged"}));

  // An existing mirror: evolution only; the metadata columns are never new columns, and the
  // soft-delete column is not a removed one.
  Exec("CREATE TABLE public.items (id bigint PRIMARY KEY, name varchar(64), "
       "_rb_deleted_at timestamptz)");
  mirror["policies"]["schema_evolution"]["removed_column"] = "fail";
  result = Validate(Json{{"soft_delete", true}}, Json::array({mirror}));
  EXPECT_EQ(result["data"]["checks"][1]["plan"]["action"], "upsert") << result.dump();
  EXPECT_EQ(result["data"]["checks"][1]["plan"]["statements"], Json::array());
}

}  // namespace
}  // namespace rapidbyte::dest_test
