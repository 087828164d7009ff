// SPEC §11 acceptance, PostgreSQL → PostgreSQL: sync modes and write modes (scenarios 1–12,
// 39, 57). Every test runs the real binary with the bundled connectors against two databases
// of the suite's throwaway server and compares the destination with the source.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

const char* kUsersAndOrders = "    - name: users\n    - name: orders\n";
const char* kUsersById =
    "    - name: users\n      sync_mode: incremental\n      cursor_field: id\n";

using PgSyncTest = E2eTest;

// §11.1 quick start and §11.2 full refresh: bundled connectors are found without
// RAPIDBYTE_CONNECTOR_DIR, both tables are exact copies with the source's column types, the
// run row is completed with counts, and the human summary (with --bench-json) ends with
// @@BENCH_JSON@@.
TEST_F(PgSyncTest, QuickStartFullRefreshCopiesUsersAndOrdersIntoRaw) {
  CreateUsersAndOrders(src_);
  unsetenv("RAPIDBYTE_CONNECTOR_DIR");
  PipelineSpec spec;
  spec.streams = kUsersAndOrders;
  const CommandRun r = Cli({"run", WritePipeline(spec), "--bench-json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  EXPECT_TRUE(std::filesystem::exists(StatePath())) << StatePath();
  ExpectExactCopy("public.users", "raw.users");
  ExpectExactCopy("public.orders", "raw.orders");
  EXPECT_EQ(dst_.ColumnTypes("raw.users"), src_.ColumnTypes("public.users"));
  EXPECT_EQ(dst_.ColumnTypes("raw.orders"), src_.ColumnTypes("public.orders"));
  EXPECT_EQ(StateQuery("SELECT status, records_read, records_written FROM sync_runs"),
            "completed|6|6\n");
  EXPECT_EQ(
      StateQuery("SELECT stream, status, records_written FROM sync_run_streams ORDER BY stream"),
      "public.orders|completed|3\npublic.users|completed|3\n");

  for (const char* line : {"Pipeline 'e2e_pg' completed successfully (run ",
                           "\n  public.users   completed     3  ", "\n  public.orders  completed     3  ",
                           "\n  Total                        6  "}) {
    EXPECT_TRUE(Contains(r.out, line)) << "missing '" << line << "' in\n" << r.out;
  }
  const std::size_t at = r.out.rfind("@@BENCH_JSON@@");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\n', at), r.out.size() - 1) << "@@BENCH_JSON@@ must be the last line";
  const Json bench = Json::parse(r.out.substr(at + 14), nullptr, false);
  ASSERT_FALSE(bench.is_discarded()) << r.out.substr(at);
  EXPECT_EQ(bench["records_read"], 6);
  EXPECT_EQ(bench["records_written"], 6);
}

// §11.3: a second full-refresh append adds a second complete copy.
TEST_F(PgSyncTest, FullRefreshAppendTwiceHoldsTwoCopies) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = kUsersAndOrders;
  const std::string p = WritePipeline(spec);
  for (int i = 0; i < 2; ++i) {
    const RunOutput r = Run(p);
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.result["records_written"], 6);
  }
  ExpectSameRows(src_, "SELECT * FROM public.users", dst_, "SELECT * FROM raw.users", 2);
  ExpectSameRows(src_, "SELECT * FROM public.orders", dst_, "SELECT * FROM raw.orders", 2);
  EXPECT_EQ(StateQuery("SELECT status, records_written FROM sync_runs ORDER BY id"),
            "completed|6\ncompleted|6\n");
}

class PgIncrementalTest : public E2eTest {
 protected:
  // Scenario 4 through its three runs; returns the pipeline path.
  std::string RunScenario4() {
    CreateUsersAndOrders(src_);
    PipelineSpec spec;
    spec.streams = kUsersById;
    const std::string p = WritePipeline(spec);

    const RunOutput first = Run(p);
    EXPECT_EQ(first.exit_code(), 0) << first.Describe();
    EXPECT_EQ(first.result["records_read"], 3);
    EXPECT_EQ(first.Stream("public.users")["cursor"]["value"], Json::parse(R"({"int64":3})"));
    EXPECT_EQ(StateQuery("SELECT cursor_field, cursor_value FROM sync_cursors"),
              "id|{\"int64\":3}\n");
    ExpectExactCopy("public.users", "raw.users");

    src_.Exec(
        "INSERT INTO users (name, email, updated_at) VALUES "
        "('Dave', 'dave@example.com', now()), ('Eve', NULL, now())");
    const RunOutput second = Run(p);
    EXPECT_EQ(second.exit_code(), 0) << second.Describe();
    EXPECT_EQ(second.result["records_read"], 2);
    EXPECT_EQ(second.result["records_written"], 2);
    EXPECT_EQ(second.Stream("public.users")["cursor"]["value"], Json::parse(R"({"int64":5})"));
    ExpectExactCopy("public.users", "raw.users");

    const RunOutput third = Run(p);
    EXPECT_EQ(third.exit_code(), 0) << third.Describe();
    EXPECT_EQ(third.result["records_read"], 0);
    EXPECT_EQ(third.result["records_written"], 0);
    EXPECT_EQ(StateQuery("SELECT cursor_value FROM sync_cursors"), "{\"int64\":5}\n");
    ExpectExactCopy("public.users", "raw.users");
    return p;
  }
};

// §11.4: incremental append by an integer cursor, late rows, then a run with nothing new.
TEST_F(PgIncrementalTest, IntegerCursorPicksUpLateRowsAndNothingElse) { RunScenario4(); }

// §11.39: after scenario 4, `state show` has cursor 5; `state reset --stream` removes it and
// the next run reads all 5 rows again.
TEST_F(PgIncrementalTest, StateShowAndResetAfterIncrementalRuns) {
  const std::string p = RunScenario4();
  if (HasFailure()) return;
  const CommandRun show = Cli({"state", "show", p});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(Contains(show.out, "cursor id (int64) = 5")) << show.out;
  EXPECT_FALSE(Contains(show.out, "{\"int64\"")) << "people see the value, not its JSON: "
                                                    << show.out;
  const CommandRun show_json = Cli({"state", "show", p, "--output", "json"});
  ASSERT_EQ(show_json.exit_code, 0) << show_json.err;
  const Json doc = Json::parse(show_json.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << show_json.out;
  ASSERT_EQ(doc["streams"].size(), 1u) << doc.dump();
  EXPECT_EQ(doc["streams"][0]["cursor_value"], Json::parse(R"({"int64":5})"));
  EXPECT_EQ(doc["runs"].size(), 3u);

  const CommandRun reset = Cli({"state", "reset", p, "--stream", "public.users"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_TRUE(Contains(reset.out, "1 cursor")) << reset.out;
  EXPECT_EQ(StateQuery("SELECT count(*) FROM sync_cursors WHERE cursor_value IS NOT NULL"), "0\n");

  const RunOutput again = Run(p);
  ASSERT_EQ(again.exit_code(), 0) << again.Describe();
  EXPECT_EQ(again.result["records_read"], 5);
  EXPECT_EQ(again.Stream("public.users")["cursor"]["value"], Json::parse(R"({"int64":5})"));
  // Append after a reset adds the table again: every source row twice.
  ExpectSameRows(src_, "SELECT * FROM public.users", dst_, "SELECT * FROM raw.users", 2);
}

// §11.5: rows sharing the stored cursor value are de-duplicated by the boundary, and a row
// inserted later with that same value is still delivered, once.
TEST_F(PgSyncTest, LateRowsWithEqualCursorValuesArriveExactlyOnce) {
  CreateUsersAndOrders(src_);
  src_.Exec("UPDATE users SET updated_at = '2024-03-01 12:00:00+00'");
  PipelineSpec spec;
  spec.streams =
      "    - name: users\n      sync_mode: incremental\n      cursor_field: updated_at\n";
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(first.result["records_read"], 3);

  src_.Exec(
      "INSERT INTO users (name, email, updated_at) VALUES "
      "('Dave', 'dave@example.com', '2024-03-01 12:00:00+00'), "
      "('Eve', 'eve@example.com', '2024-03-01 12:00:01+00')");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(second.result["records_read"], 2);
  EXPECT_EQ(second.result["records_written"], 2);
  ExpectExactCopy("public.users", "raw.users");
}

// §11.6: numeric, date, timestamp, timestamptz, text and uuid cursors follow scenario 4's
// pattern (one stream each, in one pipeline); a boolean cursor is rejected by check and run.
TEST_F(PgSyncTest, EveryCursorTypePicksUpLateRows) {
  struct CursorCase {
    const char* table;
    const char* type;
    const char* cursor_type;
    std::vector<const char*> first, later;  // SQL literals, ascending
  };
  const std::vector<CursorCase> cases = {
      {"c_numeric", "numeric(10,2)", "decimal", {"1.10", "2.20", "2.25"}, {"10.00", "10.01"}},
      {"c_date",
       "date",
       "date32",
       {"'2024-01-01'", "'2024-01-02'", "'2024-02-01'"},
       {"'2024-02-02'", "'2025-01-01'"}},
      {"c_ts",
       "timestamp",
       "timestamp_micros",
       {"'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.000001'", "'2024-01-02 10:00:00'"},
       {"'2024-01-02 10:00:00.5'", "'2030-01-01 00:00:00'"}},
      {"c_tstz",
       "timestamptz",
       "timestamp_micros",
       {"'2024-01-01 00:00:00+00'", "'2024-01-01 01:00:00+02'", "'2024-01-01 00:30:00+00'"},
       {"'2024-06-01 00:00:00+00'", "'2024-06-01 00:00:00.25+00'"}},
      {"c_text", "text", "utf8", {"'apple'", "'banana'", "'cherry'"}, {"'date'", "'elderberry'"}},
      {"c_uuid",
       "uuid",
       "uuid",
       {"'00000000-0000-0000-0000-000000000001'", "'00000000-0000-0000-0000-000000000002'",
        "'10000000-0000-0000-0000-000000000000'"},
       {"'a0000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-fffffffffffe'"}},
  };
  std::string streams;
  for (const auto& c : cases) {
    std::string values;
    for (const char* v : c.first) values += std::string(values.empty() ? "" : ", ") + "(" + v + ")";
    src_.Exec(std::string("CREATE TABLE ") + c.table + " (id serial PRIMARY KEY, c " + c.type +
              ", note text); INSERT INTO " + c.table + " (c) VALUES " + values);
    streams += std::string("    - name: ") + c.table +
               "\n      sync_mode: incremental\n      cursor_field: c\n";
  }
  PipelineSpec spec;
  spec.streams = streams;
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.table);
    EXPECT_EQ(first.Stream(std::string("public.") + c.table)["records_read"], 3);
    EXPECT_EQ(
        StateQuery(std::string("SELECT cursor_type FROM sync_cursors WHERE stream = 'public.") +
                   c.table + "'"),
        std::string(c.cursor_type) + "\n");
    ExpectExactCopy(std::string("public.") + c.table, std::string("raw.") + c.table);
  }
  for (const auto& c : cases) {
    src_.Exec(std::string("INSERT INTO ") + c.table + " (c) VALUES (" + c.later[0] + "), (" +
              c.later[1] + ")");
  }
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  const std::string after_second =
      StateQuery("SELECT stream, cursor_value FROM sync_cursors ORDER BY stream");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.table);
    EXPECT_EQ(second.Stream(std::string("public.") + c.table)["records_read"], 2);
    ExpectExactCopy(std::string("public.") + c.table, std::string("raw.") + c.table);
  }
  const RunOutput third = Run(p);
  ASSERT_EQ(third.exit_code(), 0) << third.Describe();
  EXPECT_EQ(third.result["records_read"], 0);
  EXPECT_EQ(StateQuery("SELECT stream, cursor_value FROM sync_cursors ORDER BY stream"),
            after_second);
  for (const auto& c : cases)
    ExpectExactCopy(std::string("public.") + c.table, std::string("raw.") + c.table);

  // A boolean cursor column is refused by check and by run.
  src_.Exec("CREATE TABLE c_bool (id int PRIMARY KEY, flag boolean)");
  PipelineSpec bad;
  bad.name = "e2e_bool_cursor";
  bad.streams = "    - name: c_bool\n      sync_mode: incremental\n      cursor_field: flag\n";
  const std::string bp = WritePipeline(bad);
  const CommandRun check = Cli({"check", bp, "--output", "json"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  const Json checks = Json::parse(check.out, nullptr, false);
  ASSERT_TRUE(checks.is_object()) << check.out;
  EXPECT_EQ(checks["ok"], false);
  bool refused = false;
  for (const auto& c : checks["checks"]) {
    refused |= c.value("name", "") == "Source public.c_bool" && c.value("status", "") == "FAILED" &&
               Contains(c.value("message", ""), "boolean");
  }
  EXPECT_TRUE(refused) << "no FAILED check naming the boolean cursor:\n" << check.out;
  const RunOutput run = Run(bp);
  EXPECT_EQ(run.exit_code(), 1) << run.Describe();
  EXPECT_EQ(run.result["error"]["code"], "CURSOR_TYPE_UNSUPPORTED") << run.Describe();
}

// §11.7: incremental upsert updates Alice's row in place.
TEST_F(PgSyncTest, IncrementalUpsertUpdatesRowInPlace) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams =
      "    - name: users\n      sync_mode: incremental\n      cursor_field: updated_at\n";
  spec.write_mode = "upsert";
  spec.destination = "  primary_key: [id]\n";
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  ExpectExactCopy("public.users", "raw.users");

  src_.Exec(
      "UPDATE users SET email = 'alice@new.example', updated_at = '2024-05-01 00:00:00+00' "
      "WHERE name = 'Alice'");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(second.result["records_read"], 1);
  EXPECT_EQ(dst_.Count("raw.users"), 3);
  EXPECT_EQ(dst_.Scalar("SELECT email FROM raw.users WHERE name = 'Alice'"), "alice@new.example");
  ExpectExactCopy("public.users", "raw.users");
}

// §11.8: replace twice; a reader polling the target during the second run always sees a
// complete table (3 rows), never a missing or partial one; no staging table is left.
TEST_F(PgSyncTest, ReplaceTwiceSwapsAtomically) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: users\n";
  spec.write_mode = "replace";
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  ExpectExactCopy("public.users", "raw.users");

  src_.Exec("UPDATE users SET email = 'bob@new.example' WHERE name = 'Bob'");
  std::vector<std::string> bad_reads;
  int reads = 0;
  CommandOptions options;
  options.while_running = [&](int pid) {
    while (!ChildExited(pid)) {
      auto rows = pg().Query(dst_.name, "SELECT count(*) FROM raw.users");
      ++reads;
      if (!rows.ok()) {
        bad_reads.push_back(rows.status().ToString());
      } else if (rows->at(0).at(0) != "3") {
        bad_reads.push_back("count " + rows->at(0).at(0).value_or("NULL"));
      }
    }
  };
  const RunOutput second = Run(p, {}, options);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_GT(reads, 0);
  EXPECT_TRUE(bad_reads.empty()) << bad_reads.size() << " bad reads of " << reads
                                 << ", first: " << bad_reads[0];
  EXPECT_TRUE(Contains(second.cmd.err, "atomic swap of raw.users completed")) << second.cmd.err;
  ExpectExactCopy("public.users", "raw.users");
  EXPECT_EQ(dst_.ColumnTypes("raw.users"), src_.ColumnTypes("public.users"));
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging%'"), "0");
}

// §11.9: replace from an empty table leaves an empty table with the source's columns.
TEST_F(PgSyncTest, ReplaceFromEmptySourceCreatesEmptyTable) {
  src_.Exec(
      "CREATE TABLE empty_src (id int PRIMARY KEY, name varchar(20) NOT NULL, amount "
      "numeric(10,2), "
      "seen_at timestamptz)");
  PipelineSpec spec;
  spec.streams = "    - name: empty_src\n";
  spec.write_mode = "replace";
  const RunOutput r = Run(WritePipeline(spec));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.result["records_read"], 0);
  ASSERT_TRUE(dst_.Exists("raw.empty_src"));
  EXPECT_EQ(dst_.Count("raw.empty_src"), 0);
  EXPECT_EQ(dst_.ColumnTypes("raw.empty_src"), src_.ColumnTypes("public.empty_src"));
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging%'"), "0");
}

// §11.10: a replace whose source (test-gen) fails after 2 frames leaves the previous table
// intact; the next successful run replaces it and no staging table remains.
TEST_F(PgSyncTest, ReplaceWithUpstreamFailureKeepsThePreviousTable) {
  PipelineSpec spec;
  spec.source_use = "test-gen";
  spec.streams = "    - name: public.items\n";
  spec.write_mode = "replace";
  spec.source_config = "{rows: 30, batch_rows: 10}";
  const RunOutput first = Run(WritePipeline(spec));
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(dst_.Scalar("SELECT count(*) || ':' || sum(id) FROM raw.items"), "30:465");

  spec.source_config = "{rows: 100, batch_rows: 10, fail_after_frames: 2, fail_category: data}";
  const RunOutput failed = Run(WritePipeline(spec));
  EXPECT_EQ(failed.exit_code(), 1) << failed.Describe();
  EXPECT_EQ(failed.result["status"], "failed");
  EXPECT_EQ(failed.result["error"]["stage"], "Source");
  EXPECT_EQ(dst_.Scalar("SELECT count(*) || ':' || sum(id) FROM raw.items"), "30:465");
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs ORDER BY id"), "completed\nfailed\n");

  spec.source_config = "{rows: 50, batch_rows: 10}";
  const RunOutput last = Run(WritePipeline(spec));
  ASSERT_EQ(last.exit_code(), 0) << last.Describe();
  EXPECT_EQ(dst_.Scalar("SELECT count(*) || ':' || sum(id) FROM raw.items"), "50:1275");
  EXPECT_EQ(dst_.Scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%rb_staging%'"), "0");
}

// §11.11: upsert twice through both load methods; Alice's update lands, no row is added.
TEST_F(PgSyncTest, UpsertTwiceWithCopyAndInsert) {
  CreateUsersAndOrders(src_);
  std::vector<std::string> pipelines;
  for (const std::string method : {"copy", "insert"}) {
    PipelineSpec spec;
    spec.name = "e2e_upsert_" + method;
    spec.streams = "    - name: users\n";
    spec.write_mode = "upsert";
    spec.dest_schema = "raw_" + method;
    spec.dest_extra = "load_method: " + method;
    spec.destination = "  primary_key: [id]\n";
    pipelines.push_back(WritePipeline(spec));
    const RunOutput r = Run(pipelines.back());
    ASSERT_EQ(r.exit_code(), 0) << method << "\n" << r.Describe();
    ExpectExactCopy("public.users", "raw_" + method + ".users");
  }
  src_.Exec("UPDATE users SET email = 'alice@new.example' WHERE name = 'Alice'");
  for (const std::string method : {"copy", "insert"}) {
    SCOPED_TRACE(method);
    const RunOutput r = Run(pipelines[method == "copy" ? 0 : 1]);
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.result["records_written"], 3);
    EXPECT_EQ(dst_.Count("raw_" + method + ".users"), 3);
    EXPECT_EQ(dst_.Scalar("SELECT email FROM raw_" + method + ".users WHERE name = 'Alice'"),
              "alice@new.example");
    ExpectExactCopy("public.users", "raw_" + method + ".users");
  }
}

// §11.11 with a view as the source. A view's columns are nullable while the upsert target's
// key column is NOT NULL (it is the primary key), so the second run must leave that alone.
TEST_F(PgSyncTest, UpsertTwiceFromAView) {
  CreateUsersAndOrders(src_);
  src_.Exec("CREATE VIEW users_v AS SELECT * FROM users");
  PipelineSpec spec;
  spec.streams = "    - name: users_v\n";
  spec.write_mode = "upsert";
  spec.destination = "  primary_key: [id]\n";
  const std::string p = WritePipeline(spec);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  ExpectExactCopy("public.users_v", "raw.users_v");
  src_.Exec("UPDATE users SET email = 'alice@new.example' WHERE name = 'Alice'");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  ExpectExactCopy("public.users_v", "raw.users_v");
}

// §11.12: several rows with the same key in one frame (a source table without a key, read in
// one batch): the last row per key wins, without an error.
TEST_F(PgSyncTest, UpsertWithDuplicateKeysInOneFrameKeepsTheLastRow) {
  src_.Exec(
      "CREATE TABLE dup_keys (id int NOT NULL, v text, seq int NOT NULL);"
      "INSERT INTO dup_keys VALUES (1, 'a', 1), (2, 'b', 2), (1, 'c', 3), (3, 'd', 4), (2, 'e', "
      "5), (1, 'f', 6)");
  PipelineSpec spec;
  spec.streams = "    - name: dup_keys\n";
  spec.write_mode = "upsert";
  spec.destination = "  primary_key: [id]\n";
  const RunOutput r = Run(WritePipeline(spec));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.Stream("public.dup_keys")["batches_emitted"], 1);
  // The source's heap order is its insertion order (seq): the row with the highest seq wins.
  ExpectSameRows(src_, "SELECT DISTINCT ON (id) id, v, seq FROM dup_keys ORDER BY id, seq DESC",
                 dst_, "SELECT id, v, seq FROM raw.dup_keys");
}

// §11.57: a projection creates exactly the projected columns; sales.orders lands in
// raw.orders; two streams mapping to one destination table are refused before running.
TEST_F(PgSyncTest, ProjectionAndDestinationNames) {
  CreateUsersAndOrders(src_);
  src_.Exec(
      "CREATE SCHEMA sales; CREATE TABLE sales.orders AS SELECT * FROM public.orders;"
      "ALTER TABLE sales.orders ADD PRIMARY KEY (id)");
  PipelineSpec spec;
  spec.streams = "    - name: users\n      columns: [id, email]\n    - name: sales.orders\n";
  const RunOutput r = Run(WritePipeline(spec));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(dst_.ColumnTypes("raw.users"),
            (std::vector<std::string>{"id integer not null", "email text"}));
  ExpectSameRows(src_, "SELECT id, email FROM public.users", dst_, "SELECT * FROM raw.users");
  ExpectExactCopy("sales.orders", "raw.orders");

  src_.Exec(
      "CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE a.users (id int); CREATE TABLE b.users (id "
      "int)");
  PipelineSpec clash;
  clash.name = "e2e_clash";
  clash.streams = "    - name: a.users\n    - name: b.users\n";
  const CommandRun c = Cli({"run", WritePipeline(clash)});
  EXPECT_EQ(c.exit_code, 2) << c.out << c.err;
  EXPECT_TRUE(Contains(c.err, "'b.users' and 'a.users' would both write destination table 'users'"))
      << c.err;
  EXPECT_FALSE(dst_.Exists("raw.a_users"));
}

// Zero-row frames through every writer: an empty source table, and an incremental rerun with
// nothing new, each send the destination one frame with a schema and no rows. The staged
// writer of upsert × copy once opened a COPY for such a frame and left it open, so the commit
// failed ("a COPY is in progress") on every run until a source row changed.
struct WriteCase {
  std::string write_mode;
  std::string load_method;
  friend void PrintTo(const WriteCase& c, std::ostream* os) {
    *os << c.write_mode << " x " << c.load_method;
  }
};

std::string WriteCaseName(const ::testing::TestParamInfo<WriteCase>& info) {
  return info.param.write_mode + "_" + info.param.load_method;
}

class PgZeroRowTest : public E2eTest, public ::testing::WithParamInterface<WriteCase> {
 protected:
  PipelineSpec Spec(const std::string& streams) const {
    PipelineSpec spec;
    spec.streams = streams;
    spec.write_mode = GetParam().write_mode;
    spec.dest_extra = "load_method: " + GetParam().load_method;
    if (GetParam().write_mode == "upsert") spec.destination = "  primary_key: [id]\n";
    return spec;
  }
};

using PgEmptySourceTest = PgZeroRowTest;
using PgNoChangeRerunTest = PgZeroRowTest;

// An empty source table runs twice: both runs succeed with 0 rows, and the target exists,
// empty, with the source's columns.
TEST_P(PgEmptySourceTest, EmptyTableRunsTwice) {
  src_.Exec(
      "CREATE TABLE empty_src (id int PRIMARY KEY, name text NOT NULL, "
      "updated_at timestamptz)");
  const std::string p = WritePipeline(Spec("    - name: empty_src\n"));
  for (int run = 1; run <= 2; ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    const RunOutput r = Run(p);
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.result["records_read"], 0);
    EXPECT_EQ(r.result["records_written"], 0);
    ASSERT_TRUE(dst_.Exists("raw.empty_src"));
    EXPECT_EQ(dst_.Count("raw.empty_src"), 0);
    EXPECT_EQ(dst_.ColumnTypes("raw.empty_src"), src_.ColumnTypes("public.empty_src"));
  }
  EXPECT_EQ(StateQuery("SELECT status, records_written FROM sync_runs ORDER BY id"),
            "completed|0\ncompleted|0\n");
}

// Incremental by updated_at: the first run copies the table, a rerun with nothing new reads
// and writes 0 rows and succeeds, and a row changed afterwards arrives (in place for upsert,
// as a new version for append).
TEST_P(PgNoChangeRerunTest, RerunWithoutNewRowsThenAChangedRow) {
  CreateUsersAndOrders(src_);
  const std::string p = WritePipeline(
      Spec("    - name: users\n      sync_mode: incremental\n      cursor_field: updated_at\n"));
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(first.result["records_written"], 3);
  ExpectExactCopy("public.users", "raw.users");

  const RunOutput unchanged = Run(p);
  ASSERT_EQ(unchanged.exit_code(), 0) << unchanged.Describe();
  EXPECT_EQ(unchanged.result["records_read"], 0);
  EXPECT_EQ(unchanged.result["records_written"], 0);
  ExpectExactCopy("public.users", "raw.users");

  src_.Exec(
      "UPDATE users SET email = 'alice@new.example', updated_at = '2024-05-01 00:00:00+00' "
      "WHERE name = 'Alice'");
  const RunOutput changed = Run(p);
  ASSERT_EQ(changed.exit_code(), 0) << changed.Describe();
  EXPECT_EQ(changed.result["records_read"], 1);
  EXPECT_EQ(changed.result["records_written"], 1);
  if (GetParam().write_mode == "upsert") {
    ExpectExactCopy("public.users", "raw.users");
  } else {
    EXPECT_EQ(dst_.Count("raw.users"), 4);
    ExpectSameRows(src_, "SELECT * FROM users", dst_,
                   "SELECT DISTINCT ON (id) * FROM raw.users ORDER BY id, updated_at DESC");
  }
  EXPECT_EQ(StateQuery("SELECT status, records_written FROM sync_runs ORDER BY id"),
            "completed|3\ncompleted|0\ncompleted|1\n");
}

INSTANTIATE_TEST_SUITE_P(
    EveryWriteModeAndLoadMethod, PgEmptySourceTest,
    ::testing::Values(WriteCase{"append", "copy"}, WriteCase{"append", "insert"},
                      WriteCase{"replace", "copy"}, WriteCase{"replace", "insert"},
                      WriteCase{"upsert", "copy"}, WriteCase{"upsert", "insert"}),
    WriteCaseName);

// `replace` cannot be combined with `incremental` (the pipeline is refused before it runs).
INSTANTIATE_TEST_SUITE_P(EveryIncrementalWriteModeAndLoadMethod, PgNoChangeRerunTest,
                         ::testing::Values(WriteCase{"append", "copy"},
                                           WriteCase{"append", "insert"},
                                           WriteCase{"upsert", "copy"},
                                           WriteCase{"upsert", "insert"}),
                         WriteCaseName);

}  // namespace
}  // namespace rapidbyte::e2e
