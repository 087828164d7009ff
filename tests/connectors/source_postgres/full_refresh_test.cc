// Full refresh through the real connector: every SPEC §9.1 type with NULLs and special values,
// the exact PostgreSQL types in field metadata, empty tables, views, schema-qualified streams,
// projections, and batches bounded by max_batch_bytes / max_batch_rows.
#include <gtest/gtest.h>

#include "tests/connectors/source_postgres/source_pg_harness.h"

namespace rapidbyte::testing {
namespace {

using Row = std::vector<std::optional<std::string>>;
using FullRefreshTest = SourcePgTest;

constexpr const char* kAllTypes = R"SQL(
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TABLE all_types (
  id integer PRIMARY KEY, i2 smallint, i8 bigint, f4 real, f8 double precision,
  n numeric(12,2), nu numeric, b boolean, t text, vc varchar(64), c char(5), by bytea,
  d date, tm time, tz timetz, ts timestamp, tstz timestamptz, iv interval, u uuid, j json,
  jb jsonb, ip inet, m mood, dom posint, ai integer[], at text[]);
INSERT INTO all_types VALUES
 (1, -32768, 9223372036854775807, 1.5, '-0', 1234567890.12, '3.14159265358979323846', true,
  'hello', 'x', 'ab', '\x00ff10', '1970-01-02', '10:30:00.5', '10:30:00.5+02',
  '1970-01-01 00:00:01.000001', '1970-01-01 00:00:00+01', '1 year 2 mons 3 days 00:00:01.5',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', '192.168.0.1/24',
  'happy', 7, '{1,NULL,3}', '{a,NULL,""}'),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (3, 0, -1, 'NaN', '-Infinity', -0.01, 'NaN', false, '', 'héllo ✓ 日本', 'abcde', '',
  'infinity', '00:00', '00:00+00', '-infinity', 'infinity', '-1 days', '00000000-0000-0000-0000-000000000000',
  '[]', '{}', '::1', 'sad', 1, '{}', '{}');
)SQL";

TEST_F(FullRefreshTest, EveryTypeWithNullsNanInfinityUnicodeAndArrays) {
  Sql(kAllTypes);
  ReadRun run = Read(Stream("all_types"));
  ASSERT_EQ(run.response["status"], "ok") << run.response.dump();
  Table table = Decode(run);
  ASSERT_EQ(table.rows.size(), 3u);
  const Row expected1 = {"1", "-32768", "9223372036854775807", "1.5", "-0", "1234567890.12",
                         "3.14159265358979323846", "t", "hello", "x", "ab   ", "\\x00ff10", "1",
                         "37800500000", "10:30:00.5+02", "1000001", "-3600000000",
                         "14m3d1500000000ns", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "{\"a\": 1}",
                         "{\"b\": [1, 2]}", "192.168.0.1/24", "happy", "7", "{1,NULL,3}",
                         "{a,NULL,}"};
  EXPECT_EQ(table.rows[0], expected1);
  Row nulls(26, std::nullopt);
  nulls[0] = "2";
  EXPECT_EQ(table.rows[1], nulls);
  const Row expected3 = {"3", "0", "-1", "nan", "-inf", "-0.01", "NaN", "f", "",
                         "héllo ✓ 日本", "abcde", "\\x", "2147483647", "0", "00:00:00+00",
                         "-9223372036854775808", "9223372036854775807", "0m-1d0ns",
                         "00000000000000000000000000000000", "[]", "{}", "::1/128", "sad", "1", "{}",
                         "{}"};
  // inet is carried as text through a ::text cast, which prints the netmask ("::1/128"); the
  // value parses back to the same inet.
  EXPECT_EQ(table.rows[2], expected3);

  // Arrow types, nullability and the exact PostgreSQL types in metadata (SPEC §9.1).
  const arrow::Schema& schema = *table.schema;
  auto type_of = [&](const char* name) {
    return schema.field(static_cast<int>(table.Column(name))).type().ToString();
  };
  auto pg_type_of = [&](const char* name) {
    return std::string(schema.field(static_cast<int>(table.Column(name)))
                           .metadata().Get("pg_type").value_or("<none>"));
  };
  EXPECT_EQ(type_of("i2"), "int16");
  EXPECT_EQ(type_of("f4"), "float32");
  EXPECT_EQ(type_of("n"), "decimal128(12, 2)");
  EXPECT_EQ(type_of("nu"), "utf8");
  EXPECT_EQ(type_of("by"), "binary");
  EXPECT_EQ(type_of("d"), "date32");
  EXPECT_EQ(type_of("tm"), "time64[us]");
  EXPECT_EQ(type_of("ts"), "timestamp[us]");
  EXPECT_EQ(type_of("tstz"), "timestamp[us, UTC]");
  EXPECT_EQ(type_of("iv"), "interval[month_day_nano]");
  EXPECT_EQ(type_of("u"), "fixed_size_binary[16]");
  EXPECT_EQ(type_of("ai"), "list<int32>");
  EXPECT_EQ(type_of("dom"), "int32");
  EXPECT_EQ(pg_type_of("vc"), "character varying(64)");
  EXPECT_EQ(pg_type_of("n"), "numeric(12,2)");
  EXPECT_EQ(pg_type_of("c"), "character(5)");
  EXPECT_EQ(pg_type_of("tstz"), "timestamp with time zone");
  EXPECT_EQ(pg_type_of("ai"), "integer[]");
  EXPECT_EQ(pg_type_of("dom"), "posint");
  EXPECT_EQ(pg_type_of("m"), "mood");
  EXPECT_EQ(schema.field(static_cast<int>(table.Column("u"))).extension_name(), "arrow.uuid");
  EXPECT_EQ(schema.field(static_cast<int>(table.Column("jb"))).extension_name(), "arrow.json");
  EXPECT_FALSE(schema.field(0).nullable());
  EXPECT_TRUE(schema.field(1).nullable());
  EXPECT_EQ(schema.metadata().Get("pg_relation").value_or(""), "public.all_types");
  EXPECT_EQ(schema.metadata().Get("pg_primary_key").value_or(""), "[\"id\"]");

  // Summary, perf and the cumulative counters (SPEC §7.3 step 8, §7.6).
  EXPECT_EQ(run.data()["records_read"], 3);
  EXPECT_EQ(run.data()["batches_emitted"], 1);
  EXPECT_EQ(run.data()["bytes_read"], run.frames[0].size());
  EXPECT_EQ(run.data()["checkpoint_count"], 0);
  EXPECT_GE(run.data()["perf"]["connect_secs"].get<double>(), 0.0);
  EXPECT_GT(run.data()["perf"]["query_secs"].get<double>(), 0.0);
  EXPECT_GT(run.data()["perf"]["fetch_secs"].get<double>(), 0.0);
  EXPECT_EQ(run.Counter("records_read"), 3);
  EXPECT_EQ(run.Counter("batches_emitted"), 1);
  EXPECT_EQ(run.Counter("bytes_read"), static_cast<std::int64_t>(run.frames[0].size()));
  EXPECT_TRUE(run.checkpoints.empty()) << "full refresh sends no checkpoints";
}

TEST_F(FullRefreshTest, EmptyTableEmitsOneSchemaOnlyFrame) {
  Sql("CREATE TABLE empty_t (id bigint PRIMARY KEY, name varchar(10))");
  ReadRun run = Read(Stream("empty_t"));
  ASSERT_EQ(run.response["status"], "ok") << run.response.dump();
  ASSERT_EQ(run.frames.size(), 1u);
  Table table = Decode(run);
  ASSERT_NE(table.schema, nullptr);
  EXPECT_EQ(table.schema->num_fields(), 2);
  EXPECT_TRUE(table.rows.empty());
  EXPECT_EQ(run.data()["records_read"], 0);
  EXPECT_EQ(run.data()["batches_emitted"], 1);
}

TEST_F(FullRefreshTest, BatchesRespectMaxBatchBytesAndRows) {
  Sql("CREATE TABLE wide AS SELECT g AS id, repeat(md5(g::text), 4) AS payload "
      "FROM generate_series(1, 20000) g");
  nlohmann::json context = Stream("wide");
  context["limits"]["max_batch_bytes"] = 256 << 10;
  ReadRun run = Read(context);
  ASSERT_EQ(run.response["status"], "ok") << run.response.dump();
  Table table = Decode(run);
  ASSERT_EQ(table.rows.size(), 20000u);
  // ~2.7 MB of Arrow data: at least 10 frames, each within the cap (IPC adds only metadata).
  EXPECT_GE(run.frames.size(), 10u);
  std::uint64_t bytes = 0;
  for (const auto& frame : run.frames) {
    EXPECT_LE(frame.size(), (256u << 10) + 4096u);
    bytes += frame.size();
  }
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    ASSERT_EQ(table.rows[i][0], std::to_string(i + 1)) << "rows out of order at " << i;
  }
  EXPECT_EQ(run.data()["bytes_read"], bytes);
  EXPECT_EQ(run.Counter("bytes_read"), static_cast<std::int64_t>(bytes));
  EXPECT_EQ(run.Counter("batches_emitted"), static_cast<std::int64_t>(run.frames.size()));
  EXPECT_EQ(run.Counter("records_read"), 20000);
  // records_estimate once, before the first frame (the planner's rows for the read: the
  // table was never analyzed, so a figure near the truth, not the truth), then one metric of
  // each kind after every frame.
  ASSERT_FALSE(run.metrics.empty());
  EXPECT_EQ(run.metrics[0]["name"], "records_estimate");
  EXPECT_GT(run.Counter("records_estimate"), 0);
  EXPECT_EQ(run.metrics.size(), 1 + 3 * run.frames.size());

  nlohmann::json config = Config();
  config["max_batch_rows"] = 3000;
  ReadRun by_rows = Read(config, Stream("wide"));
  ASSERT_EQ(by_rows.response["status"], "ok") << by_rows.response.dump();
  Table rows_table = Decode(by_rows);
  EXPECT_EQ(rows_table.rows_per_frame,
            (std::vector<std::int64_t>{3000, 3000, 3000, 3000, 3000, 3000, 2000}));
}

TEST_F(FullRefreshTest, ViewAndSchemaQualifiedStream) {
  Sql("CREATE SCHEMA sales;"
      "CREATE TABLE sales.orders (id int PRIMARY KEY, amount numeric(10,2) NOT NULL);"
      "INSERT INTO sales.orders VALUES (1, 10.50), (2, 99.99), (3, 0.01);"
      "CREATE VIEW public.big_orders AS SELECT id, amount FROM sales.orders WHERE amount > 1;");
  ReadRun orders = Read(Stream("sales.orders"));
  ASSERT_EQ(orders.response["status"], "ok") << orders.response.dump();
  Table t = Decode(orders);
  EXPECT_EQ(t.rows, (std::vector<Row>{{"1", "10.50"}, {"2", "99.99"}, {"3", "0.01"}}));
  EXPECT_EQ(t.schema->metadata().Get("pg_relation").value_or(""), "sales.orders");

  ReadRun view = Read(Stream("big_orders"));
  ASSERT_EQ(view.response["status"], "ok") << view.response.dump();
  Table v = Decode(view);
  EXPECT_EQ(v.rows.size(), 2u);
  EXPECT_EQ(v.schema->metadata().Get("pg_relation").value_or(""), "public.big_orders");

  // The config schema applies to unqualified names.
  nlohmann::json config = Config();
  config["schema"] = "sales";
  ReadRun by_schema = Read(config, Stream("orders"));
  ASSERT_EQ(by_schema.response["status"], "ok") << by_schema.response.dump();
  EXPECT_EQ(Decode(by_schema).rows.size(), 3u);
}

TEST_F(FullRefreshTest, ColumnProjectionInRequestedOrder) {
  Sql("CREATE TABLE people (id int PRIMARY KEY, name text, \"Weird \"\"Col\" int, secret text);"
      "INSERT INTO people VALUES (1, 'ann', 5, 's1'), (2, 'bob', NULL, 's2');");
  nlohmann::json context = Stream("people");
  context["selected_columns"] = {"Weird \"Col", "name", "id"};
  ReadRun run = Read(context);
  ASSERT_EQ(run.response["status"], "ok") << run.response.dump();
  Table t = Decode(run);
  ASSERT_EQ(t.schema->num_fields(), 3);
  EXPECT_EQ(t.schema->field(0).name(), "Weird \"Col");
  EXPECT_EQ(t.schema->field(1).name(), "name");
  EXPECT_EQ(t.schema->field(2).name(), "id");
  EXPECT_EQ(t.rows, (std::vector<Row>{{"5", "ann", "1"}, {std::nullopt, "bob", "2"}}));
}

}  // namespace
}  // namespace rapidbyte::testing
