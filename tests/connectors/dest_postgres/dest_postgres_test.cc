// dest-postgres through the real plugin host against a real PostgreSQL server: table creation
// with exact types, write modes, load methods, upstream failures, schema evolution,
// checkpoints with commit tokens and the exactly-once handshake (SPEC §5.5, §8, §9).
#include <algorithm>

#include <gtest/gtest.h>

#include "arrow/record_batch_builder.h"
#include "pgwire/sha256.h"
#include "tests/connectors/dest_postgres/dest_harness.h"

namespace rapidbyte::dest_test {
namespace {

using arrow::DataType;
using arrow::TimeUnit;
using RowList = std::vector<std::vector<std::string>>;

void ExpectOk(const RunOutcome& out) {
  ASSERT_EQ(out.open["status"], "ok") << out.open.dump();
  ASSERT_EQ(out.write["status"], "ok") << out.write.dump();
}

class DestPostgres : public DestPostgresTest {
 protected:
  std::string One(const std::string& sql) {
    RowList rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? "<no rows>" : rows[0][0];
  }
  void UpsertTwice(const std::string& method);
  void WriteEveryType(const std::string& load_method);
};

// --- Types -------------------------------------------------------------------------------

// A frame with one column per SPEC §9.1 type, carrying the source's pg_type metadata.
Frame AllTypesFrame() {
  std::vector<arrow::Field> fields = {
      PgField("id", DataType::Int64(), false, "bigint"),
      PgField("small", DataType::Int16(), true, "smallint"),
      PgField("i", DataType::Int32(), true, "integer"),
      PgField("name", DataType::Utf8(), false, "character varying(64)"),
      PgField("code", DataType::Utf8(), true, "character(3)"),
      PgField("body", DataType::Utf8(), true, "text"),
      PgField("price", DataType::Decimal128(12, 2), true, "numeric(12,2)"),
      PgField("anynum", DataType::Utf8(), true, "numeric"),
      PgField("r", DataType::Float32(), true, "real"),
      PgField("d", DataType::Float64(), true, "double precision"),
      PgField("flag", DataType::Bool(), true, "boolean"),
      PgField("bin", DataType::Binary(), true, "bytea"),
      PgField("day", DataType::Date32(), true, "date"),
      PgField("t", DataType::Time64(TimeUnit::kMicro), true, "time without time zone"),
      PgField("ts", DataType::Timestamp(TimeUnit::kMicro), true, "timestamp without time zone"),
      PgField("tstz", DataType::Timestamp(TimeUnit::kMicro, "UTC"), true,
              "timestamp with time zone"),
      PgField("ts3", DataType::Timestamp(TimeUnit::kMicro, "UTC"), true,
              "timestamp(3) with time zone"),
      PgField("iv", DataType::IntervalMonthDayNano(), true, "interval"),
      PgField("uid", DataType::FixedSizeBinary(16), true, "uuid")
          .WithExtension(arrow::kUuidExtension),
      PgField("doc", DataType::Utf8(), true, "jsonb").WithExtension(arrow::kJsonExtension),
      PgField("js", DataType::Utf8(), true, "json").WithExtension(arrow::kJsonExtension),
      PgField("tags", DataType::List(DataType::Int32()), true, "integer[]"),
      PgField("labels", DataType::List(DataType::Utf8()), true, "character varying(8)[]"),
      PgField("addr", DataType::Utf8(), true, "inet"),
      PgField("tz", DataType::Utf8(), true, "time with time zone"),
      PgField("mood", DataType::Utf8(), true, "public.mood"),
  };
  auto schema = std::make_shared<const arrow::Schema>(std::move(fields));
  auto rbb = arrow::RecordBatchBuilder::Make(schema);
  EXPECT_TRUE(rbb.ok()) << rbb.status().ToString();
  auto& b = **rbb;
  auto ok = [](const Status& st) { EXPECT_TRUE(st.ok()) << st.ToString(); };
  ok(b.column_as<arrow::Int64Builder>(0)->Append(1));
  ok(b.column_as<arrow::Int16Builder>(1)->Append(-32768));
  ok(b.column_as<arrow::Int32Builder>(2)->Append(2147483647));
  ok(b.column_as<arrow::StringBuilder>(3)->Append("Zoë"));
  ok(b.column_as<arrow::StringBuilder>(4)->Append("ab "));
  ok(b.column_as<arrow::StringBuilder>(5)->Append("tab\there"));
  ok(b.column_as<arrow::Decimal128Builder>(6)->Append(arrow::Decimal128::FromInt64(-123456)));
  ok(b.column_as<arrow::StringBuilder>(7)->Append("NaN"));
  ok(b.column_as<arrow::Float32Builder>(8)->Append(1.5f));
  ok(b.column_as<arrow::Float64Builder>(9)->Append(-0.25));
  ok(b.column_as<arrow::BooleanBuilder>(10)->Append(true));
  ok(b.column_as<arrow::BinaryBuilder>(11)->Append(std::string_view("\x00\xff", 2)));
  ok(b.column_as<arrow::Int32Builder>(12)->Append(19753));             // 2024-01-31
  ok(b.column_as<arrow::Int64Builder>(13)->Append(37800500000));       // 10:30:00.5
  ok(b.column_as<arrow::Int64Builder>(14)->Append(1706697000123456));  // 2024-01-31 10:30:00.123456
  ok(b.column_as<arrow::Int64Builder>(15)->Append(INT64_MAX));         // infinity
  ok(b.column_as<arrow::Int64Builder>(16)->Append(1706697000123000));
  ok(b.column_as<arrow::IntervalBuilder>(17)->Append(arrow::MonthDayNano{14, 3, 4000000000}));
  ok(b.column_as<arrow::FixedSizeBinaryBuilder>(18)->Append(
      std::string_view("\x12\x34\x56\x78\x12\x34\x56\x78\x12\x34\x56\x78\x12\x34\x56\x78", 16)));
  ok(b.column_as<arrow::StringBuilder>(19)->Append(R"({"a": [1, 2]})"));
  ok(b.column_as<arrow::StringBuilder>(20)->Append(R"({"b":  true})"));
  auto* tags = b.column_as<arrow::ListBuilder>(21);
  ok(tags->Append());
  ok(tags->item_builder_as<arrow::Int32Builder>()->Append(1));
  ok(tags->item_builder_as<arrow::Int32Builder>()->AppendNull());
  auto* labels = b.column_as<arrow::ListBuilder>(22);
  ok(labels->Append());
  ok(labels->item_builder_as<arrow::StringBuilder>()->Append("x"));
  ok(b.column_as<arrow::StringBuilder>(23)->Append("192.168.0.1/24"));
  ok(b.column_as<arrow::StringBuilder>(24)->Append("10:30:00.5+02"));
  ok(b.column_as<arrow::StringBuilder>(25)->Append("happy"));
  auto batch = b.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return EncodeFrame(*batch);
}

void DestPostgres::WriteEveryType(const std::string& load_method) {
  Exec("CREATE TYPE public.mood AS ENUM ('sad', 'happy')");
  RunSpec spec;
  spec.config = {{"load_method", load_method}};
  spec.context = StreamContext("src.everything");
  spec.frames = {AllTypesFrame()};
  RunOutcome out = Run(spec);
  ExpectOk(out);
  EXPECT_EQ(ColumnTypes("public.everything"),
            (std::vector<std::string>{"id: bigint not null",
                                      "small: smallint",
                                      "i: integer",
                                      "name: character varying(64) not null",
                                      "code: character(3)",
                                      "body: text",
                                      "price: numeric(12,2)",
                                      "anynum: numeric",
                                      "r: real",
                                      "d: double precision",
                                      "flag: boolean",
                                      "bin: bytea",
                                      "day: date",
                                      "t: time without time zone",
                                      "ts: timestamp without time zone",
                                      "tstz: timestamp with time zone",
                                      "ts3: timestamp(3) with time zone",
                                      "iv: interval",
                                      "uid: uuid",
                                      "doc: jsonb",
                                      "js: json",
                                      "tags: integer[]",
                                      "labels: character varying(8)[]",
                                      "addr: inet",
                                      "tz: time with time zone",
                                      "mood: mood"}));
  RowList rows = Rows(
      "SELECT id, small, i, name, code, body, price, anynum, r, d, flag, bin, day, t, ts, tstz, "
      "(ts3 AT TIME ZONE 'UTC'), iv, uid, doc, js, tags, labels, addr, tz, mood "
      "FROM public.everything");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1",
                                               "-32768",
                                               "2147483647",
                                               "Zoë",
                                               "ab ",
                                               "tab\there",
                                               "-1234.56",
                                               "NaN",
                                               "1.5",
                                               "-0.25",
                                               "t",
                                               "\\x00ff",
                                               "2024-01-31",
                                               "10:30:00.5",
                                               "2024-01-31 10:30:00.123456",
                                               "infinity",
                                               "2024-01-31 10:30:00.123",
                                               "1 year 2 mons 3 days 00:00:04",
                                               "12345678-1234-5678-1234-567812345678",
                                               "{\"a\": [1, 2]}",
                                               "{\"b\":  true}",
                                               "{1,NULL}",
                                               "{x}",
                                               "192.168.0.1/24",
                                               "10:30:00.5+02",
                                               "happy"}));
}

TEST_F(DestPostgres, CreatesTableWithTheSourcesExactTypes) { WriteEveryType("copy"); }

TEST_F(DestPostgres, InsertLoadMethodWritesEveryType) { WriteEveryType("insert"); }

TEST_F(DestPostgres, LargeStreamSpansManyCopyMessages) {
  RunSpec spec;
  spec.config = {{"copy_flush_bytes", 65536}};
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 20000), UsersFrame(20000, 20000)};
  ExpectOk(Run(spec));
  EXPECT_EQ(Rows("SELECT count(*), sum(id), max(name) FROM public.users")[0],
            (std::vector<std::string>{"40000", "799980000", "user9999"}));
}

TEST_F(DestPostgres, ArrowWithoutMetadataUsesTheDefaultMapping) {
  std::vector<arrow::Field> fields = {
      PgField("u8", DataType::UInt8(), true),
      PgField("u16", DataType::UInt16(), true),
      PgField("u32", DataType::UInt32(), true),
      PgField("u64", DataType::UInt64(), true),
      PgField("big", DataType::LargeUtf8(), true),
      PgField("ns", DataType::Timestamp(TimeUnit::kNano), true),
      PgField("strs", DataType::List(DataType::Utf8()), true),
      PgField("dec", DataType::Decimal128(5, 1), false),
      PgField("unknown_type", DataType::Int32(), true, "public.no_such_type"),
  };
  auto schema = std::make_shared<const arrow::Schema>(std::move(fields));
  auto rbb = arrow::RecordBatchBuilder::Make(schema);
  ASSERT_TRUE(rbb.ok());
  auto& b = **rbb;
  ASSERT_TRUE(b.column_as<arrow::UInt8Builder>(0)->Append(255).ok());
  ASSERT_TRUE(b.column_as<arrow::UInt16Builder>(1)->Append(65535).ok());
  ASSERT_TRUE(b.column_as<arrow::UInt32Builder>(2)->Append(4294967295u).ok());
  ASSERT_TRUE(b.column_as<arrow::UInt64Builder>(3)->Append(UINT64_MAX).ok());
  ASSERT_TRUE(b.column_as<arrow::LargeStringBuilder>(4)->Append("large").ok());
  ASSERT_TRUE(b.column_as<arrow::Int64Builder>(5)->Append(1706697000123456789).ok());
  ASSERT_TRUE(b.column_as<arrow::ListBuilder>(6)->AppendNull().ok());
  ASSERT_TRUE(
      b.column_as<arrow::Decimal128Builder>(7)->Append(arrow::Decimal128::FromInt64(-5)).ok());
  ASSERT_TRUE(b.column_as<arrow::Int32Builder>(8)->Append(3).ok());
  auto batch = b.Finish();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  RunSpec spec;
  spec.context = StreamContext("plain");
  spec.frames = {EncodeFrame(*batch)};
  ExpectOk(Run(spec));
  EXPECT_EQ(
      ColumnTypes("public.plain"),
      (std::vector<std::string>{"u8: smallint", "u16: integer", "u32: bigint", "u64: numeric(20,0)",
                                "big: text", "ns: timestamp without time zone", "strs: text[]",
                                "dec: numeric(5,1) not null", "unknown_type: integer"}));
  EXPECT_EQ(Rows("SELECT u8, u16, u32, u64, big, ns, strs, dec FROM public.plain")[0],
            (std::vector<std::string>{"255", "65535", "4294967295", "18446744073709551615", "large",
                                      "2024-01-31 10:30:00.123456", "NULL", "-0.5"}));
}

// --- Write modes -------------------------------------------------------------------------

TEST_F(DestPostgres, AppendTwiceDoublesTheRows) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 100), UsersFrame(100, 50)};
  RunOutcome first = Run(spec);
  ExpectOk(first);
  EXPECT_EQ(first.write["data"]["records_written"], 150);
  EXPECT_EQ(first.write["data"]["batches_written"], 2);
  EXPECT_EQ(first.write["data"]["checkpoint_count"], 1);
  EXPECT_TRUE(first.write["data"]["perf"].contains("flush_secs"));
  ExpectOk(Run(spec));
  EXPECT_EQ(One("SELECT count(*) FROM public.users"), "300");
  EXPECT_EQ(One("SELECT count(DISTINCT id) FROM public.users"), "150");
  EXPECT_EQ(One("SELECT sum(score) FROM public.users"), "27937.50");
  EXPECT_EQ(ColumnTypes("public.users"),
            (std::vector<std::string>{"id: bigint not null", "name: character varying(64)",
                                      "score: numeric(12,2)"}));
  // Metrics: cumulative counters after every frame.
  std::vector<std::int64_t> records;
  for (const Json& m : first.metrics) {
    if (m["name"] == "records_written") records.push_back(m["value"]["counter"]);
  }
  EXPECT_EQ(records, (std::vector<std::int64_t>{100, 150}));
}

TEST_F(DestPostgres, InsertLoadMethodWritesTheSameRows) {
  RunSpec spec;
  spec.config = {{"load_method", "insert"}, {"insert_batch_rows", 7}};
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 40), UsersFrame(40, 3)};
  RunOutcome out = Run(spec);
  ExpectOk(out);
  EXPECT_EQ(out.open["data"]["features"], Json::array({"exactly_once"}));
  EXPECT_EQ(out.write["data"]["records_written"], 43);
  EXPECT_EQ(One("SELECT count(*) FROM public.users"), "43");
  EXPECT_EQ(One("SELECT name || ':' || score FROM public.users WHERE id = 42"), "user42:52.50");
}

TEST_F(DestPostgres, ReplaceTwiceLeavesOneCopyAndNoStagingTable) {
  RunSpec spec;
  spec.context = StreamContext("public.users", "replace");
  spec.frames = {UsersFrame(0, 60), UsersFrame(60, 40)};
  RunOutcome first = Run(spec);
  ExpectOk(first);
  spec.frames = {UsersFrame(0, 80, "again")};
  ExpectOk(Run(spec));
  EXPECT_EQ(One("SELECT count(*) || ':' || min(name) FROM public.users"), "80:again0");
  EXPECT_EQ(One("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging%'"), "0");
  // The source's key (pg_primary_key) became the table's, under the target's name.
  EXPECT_EQ(One("SELECT conname FROM pg_constraint WHERE conrelid = 'public.users'::regclass "
                "AND contype = 'p'"),
            "users_pkey");
}

TEST_F(DestPostgres, ReplaceWithAnEmptySourceGivesAnEmptyTable) {
  RunSpec spec;
  spec.context = StreamContext("public.users", "replace");
  spec.frames = {UsersFrame(0, 10)};
  ExpectOk(Run(spec));
  spec.frames = {UsersFrame(0, 0)};
  RunOutcome out = Run(spec);
  ExpectOk(out);
  EXPECT_EQ(out.write["data"]["records_written"], 0);
  EXPECT_EQ(One("SELECT count(*) FROM public.users"), "0");
  EXPECT_EQ(ColumnTypes("public.users").size(), 3u);
}

TEST_F(DestPostgres, ReplaceFailsBeforeWritingWhenAViewDependsOnTheTarget) {
  Exec(
      "CREATE TABLE public.users (id bigint); CREATE VIEW public.v AS SELECT id FROM public.users");
  RunSpec spec;
  spec.context = StreamContext("public.users", "replace");
  spec.frames = {UsersFrame(0, 10)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["category"], "schema");
  EXPECT_NE(out.write["error"]["message"].get<std::string>().find("view v"), std::string::npos)
      << out.write.dump();
}

TEST_F(DestPostgres, LongTableNamesGetHashedStagingAndKeyNames) {
  const std::string table(60, 't');
  const pgwire::Sha256Digest digest = pgwire::Sha256::Hash(table);
  const std::string hex = pgwire::HexEncode(std::span<const std::uint8_t>(digest.data(), 4));
  RunSpec spec;
  spec.context = StreamContext("public." + table, "replace");
  // A checkpoint after the first frame commits the staging table; the upstream failure then
  // leaves it behind (never swapped in), as a crash would.
  spec.context["limits"]["checkpoint_interval_rows"] = 1;
  spec.frames = {UsersFrame(0, 3), UsersFrame(3, 3)};
  spec.fail_after_frames = 1;
  RunOutcome failed = Run(spec);
  ASSERT_EQ(failed.write["status"], "err");
  EXPECT_EQ(One("SELECT relname FROM pg_class WHERE relname LIKE '%rb_staging'"),
            table.substr(0, 42) + "_" + hex + "__rb_staging");
  EXPECT_EQ(One("SELECT to_regclass('public." + table + "') IS NULL"), "t");
  // The next run drops the leftover staging table, and the swap renames the key.
  spec.fail_after_frames = -1;
  ExpectOk(Run(spec));
  EXPECT_EQ(One("SELECT count(*) FROM public." + table), "6");
  EXPECT_EQ(One("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging'"), "0");
  EXPECT_EQ(One("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = 'public." +
                table + "'::regclass"),
            table.substr(0, 42) + "_" + hex + "_pkey");
}

void DestPostgres::UpsertTwice(const std::string& method) {
  RunSpec spec;
  spec.config = {{"load_method", method}};
  spec.context = StreamContext("public.users", {{"upsert", {{"primary_key", {"id"}}}}});
  spec.frames = {UsersFrame(0, 50, "a"), UsersFrame(40, 20, "b")};  // ids 40-49 twice
  RunOutcome first = Run(spec);
  ExpectOk(first);
  spec.frames = {UsersFrame(55, 10, "c")};  // 55-59 updated, 60-64 new
  ExpectOk(Run(spec));
  EXPECT_EQ(Rows("SELECT count(*), count(DISTINCT id) FROM public.users")[0],
            (std::vector<std::string>{"65", "65"}));
  EXPECT_EQ(Rows("SELECT name FROM public.users WHERE id IN (10, 45, 57, 64) ORDER BY id"),
            (RowList{{"a10"}, {"b45"}, {"c57"}, {"c64"}}));
}

TEST_F(DestPostgres, UpsertTwiceWithCopyUpdatesWithoutDuplicates) { UpsertTwice("copy"); }

TEST_F(DestPostgres, UpsertTwiceWithInsertUpdatesWithoutDuplicates) { UpsertTwice("insert"); }

TEST_F(DestPostgres, UpsertWithoutAUniqueKeyOnAnExistingTableFails) {
  Exec("CREATE TABLE public.users (id bigint, name text, score numeric(12,2))");
  RunSpec spec;
  spec.context = StreamContext("public.users", {{"upsert", {{"primary_key", {"id"}}}}});
  spec.frames = {UsersFrame(0, 5)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(out.write["error"]["message"],
            "stream public.users: table public.users has no unique constraint on (id); upsert "
            "needs one");
}

// --- Failures ----------------------------------------------------------------------------

TEST_F(DestPostgres, UpstreamFailureInAppendCommitsNothing) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 10), UsersFrame(10, 10), UsersFrame(20, 10)};
  spec.fail_after_frames = 2;
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err") << out.write.dump();
  EXPECT_EQ(out.write["error"]["code"], "UPSTREAM_FAILED");
  EXPECT_EQ(out.write["error"]["commit_state"], "before_commit");
  EXPECT_TRUE(out.checkpoints.empty());
  EXPECT_EQ(std::count(out.events.begin(), out.events.end(), "commit_token"), 0);
  EXPECT_EQ(One("SELECT to_regclass('public.users') IS NULL"), "t");
}

TEST_F(DestPostgres, UpstreamFailureInReplaceNeverSwaps) {
  RunSpec spec;
  spec.context = StreamContext("public.users", "replace");
  spec.frames = {UsersFrame(0, 10, "old")};
  ExpectOk(Run(spec));
  spec.frames = {UsersFrame(0, 30, "new"), UsersFrame(30, 30, "new"), UsersFrame(60, 5, "new")};
  spec.fail_after_frames = 2;
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(One("SELECT count(*) || ':' || min(name) FROM public.users"), "10:old0");
  EXPECT_EQ(One("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging%'"), "0");
}

// --- Schema evolution ----------------------------------------------------------------------

TEST_F(DestPostgres, NewColumnIsAddedUnderAdd) {
  Exec("CREATE TABLE public.users (id bigint NOT NULL, name varchar(64))");
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 5)};
  ExpectOk(Run(spec));
  EXPECT_EQ(ColumnTypes("public.users"),
            (std::vector<std::string>{"id: bigint not null", "name: character varying(64)",
                                      "score: numeric(12,2)"}));
  EXPECT_EQ(One("SELECT score FROM public.users WHERE id = 4"), "5.00");
}

TEST_F(DestPostgres, WideningIsNotATypeChangeButNarrowingFailsUnderFail) {
  // int8 data into a numeric column is lossless; varchar(64) into varchar(10) is not.
  Exec("CREATE TABLE public.users (id numeric, name varchar(10), score numeric(12,2))");
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 5)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(out.write["error"]["category"], "schema");
  EXPECT_EQ(out.write["error"]["code"], "SCHEMA_CHANGE_REJECTED");
  EXPECT_EQ(out.write["error"]["message"],
            "stream public.users: destination.schema_evolution.type_change is 'fail' and column "
            "'name' changes type from character varying(10) to character varying(64) in stream "
            "public.users");
  EXPECT_EQ(One("SELECT count(*) FROM public.users"), "0");
}

TEST_F(DestPostgres, NewColumnUnderFailIsRejectedAndNothingChanges) {
  Exec("CREATE TABLE public.users (id bigint, name varchar(64))");
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.context["policies"]["schema_evolution"]["new_column"] = "fail";
  spec.frames = {UsersFrame(0, 5)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(out.write["error"]["message"],
            "stream public.users: destination.schema_evolution.new_column is 'fail' and column "
            "'score' (numeric(12,2)) is new in stream public.users");
  EXPECT_EQ(ColumnTypes("public.users").size(), 2u);
}

TEST_F(DestPostgres, TypeChangeUnderCoerceAltersTheColumn) {
  Exec("CREATE TABLE public.users (id integer, name varchar(10), score integer)");
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.context["policies"]["schema_evolution"]["type_change"] = "coerce";
  spec.frames = {UsersFrame(0, 5)};
  ExpectOk(Run(spec));
  EXPECT_EQ(ColumnTypes("public.users"),
            (std::vector<std::string>{"id: bigint", "name: character varying(64)",
                                      "score: numeric(12,2)"}));
}

TEST_F(DestPostgres, AbsentColumnsKeepTheirDefaultOrLoseNotNull) {
  Exec(
      "CREATE TABLE public.users (id bigint NOT NULL, name varchar(64), score numeric(12,2), "
      "region text NOT NULL DEFAULT 'eu', note text NOT NULL)");
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 2)};
  ExpectOk(Run(spec));
  EXPECT_EQ(
      ColumnTypes("public.users"),
      (std::vector<std::string>{"id: bigint not null", "name: character varying(64)",
                                "score: numeric(12,2)", "region: text not null", "note: text"}));
  EXPECT_EQ(One("SELECT region || ':' || coalesce(note, 'null') FROM public.users LIMIT 1"),
            "eu:null");
  spec.context["policies"]["schema_evolution"]["removed_column"] = "fail";
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(out.write["error"]["code"], "SCHEMA_CHANGE_REJECTED");
}

// --- Checkpoints and exactly-once ----------------------------------------------------------

TEST_F(DestPostgres, CheckpointsByRowsCarryTokensAndTheCommitRecord) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.context["limits"]["checkpoint_interval_rows"] = 25;
  spec.frames = {UsersFrame(0, 20), UsersFrame(20, 20), UsersFrame(40, 20), UsersFrame(60, 4)};
  RunOutcome out = Run(spec);
  ExpectOk(out);
  // Commits after 40 rows (>= 25 since the start) and at the end (64; 24 since then).
  ASSERT_EQ(out.checkpoints.size(), 2u);
  EXPECT_EQ(out.checkpoints[0]["kind"], "dest");
  EXPECT_EQ(out.checkpoints[0]["records_processed"], 40);
  EXPECT_EQ(out.checkpoints[0]["commit_token"]["seq"], 1);
  EXPECT_EQ(out.checkpoints[1]["records_processed"], 64);
  EXPECT_EQ(out.checkpoints[1]["commit_token"]["seq"], 2);
  EXPECT_EQ(out.write["data"]["checkpoint_count"], 2);
  // A token is minted right before each commit, and the checkpoint follows it.
  std::vector<std::string> commits;
  for (const std::string& e : out.events) {
    if (e == "commit_token" || e == "checkpoint") commits.push_back(e);
  }
  EXPECT_EQ(commits,
            (std::vector<std::string>{"commit_token", "checkpoint", "commit_token", "checkpoint"}));
  EXPECT_EQ(Rows("SELECT pipeline, stream, run_id, commit_token->>'seq', records_committed, "
                 "finished FROM public.rapidbyte_watermarks"),
            (RowList{{"dest_test", "public.users", "7", "2", "64", "t"}}));
}

// checkpoint_interval_seconds: frames 600 ms apart with a 1 s interval commit before the end
// (the third frame is at least 1.2 s after the first); without it only the final commit.
TEST_F(DestPostgres, CheckpointsBySecondsCommitWhileFramesKeepComing) {
  for (const int seconds : {1, 0}) {
    SCOPED_TRACE("checkpoint_interval_seconds " + std::to_string(seconds));
    Exec("DROP TABLE IF EXISTS public.users; DROP TABLE IF EXISTS public.rapidbyte_watermarks");
    RunSpec spec;
    spec.context = StreamContext("public.users");
    spec.context["limits"]["checkpoint_interval_seconds"] = seconds;
    spec.frames = {UsersFrame(0, 10), UsersFrame(10, 10), UsersFrame(20, 10), UsersFrame(30, 10)};
    spec.gap_ms = 600;
    RunOutcome out = Run(spec);
    ExpectOk(out);
    ASSERT_FALSE(out.checkpoints.empty());
    EXPECT_EQ(out.checkpoints.back()["records_processed"], 40);
    if (seconds == 0) {
      EXPECT_EQ(out.checkpoints.size(), 1u);
    } else {
      ASSERT_GE(out.checkpoints.size(), 2u);
      EXPECT_LT(out.checkpoints[0]["records_processed"].get<int>(), 40);
    }
  }
}

TEST_F(DestPostgres, ReportCommitComesFirstAndCarriesTheStoredToken) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 3)};
  RunOutcome first = Run(spec);
  ExpectOk(first);
  ASSERT_FALSE(first.events.empty());
  EXPECT_EQ(first.events[0], "report_commit");
  EXPECT_EQ(first.events[1], "next_batch");
  EXPECT_EQ(first.reported_tokens, (std::vector<std::string>{""}));
  ASSERT_EQ(first.minted_tokens.size(), 1u);

  RunOutcome second = Run(spec);
  ExpectOk(second);
  ASSERT_EQ(second.reported_tokens.size(), 1u);
  EXPECT_EQ(Json::parse(second.reported_tokens[0]), Json::parse(first.minted_tokens[0]));
}

TEST_F(DestPostgres, AlreadyCompleteStreamReturnsAZeroSummaryWithoutWriting) {
  RunSpec spec;
  spec.context = StreamContext("public.users");
  spec.frames = {UsersFrame(0, 3)};
  spec.already_complete = true;
  RunOutcome out = Run(spec);
  ExpectOk(out);
  EXPECT_EQ(out.write["data"]["records_written"], 0);
  EXPECT_EQ(std::count(out.events.begin(), out.events.end(), "next_batch"), 0);
  EXPECT_EQ(One("SELECT to_regclass('public.users') IS NULL"), "t");
}

TEST_F(DestPostgres, InvalidIdentifierIsAConfigError) {
  RunSpec spec;
  spec.context = StreamContext("public." + std::string(64, 'x'));
  spec.frames = {UsersFrame(0, 1)};
  RunOutcome out = Run(spec);
  ASSERT_EQ(out.write["status"], "err");
  EXPECT_EQ(out.write["error"]["code"], "INVALID_IDENTIFIER");
  EXPECT_EQ(out.write["error"]["category"], "config");
}

}  // namespace
}  // namespace rapidbyte::dest_test
