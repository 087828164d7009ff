// SPEC §16 dest-files end to end: the real `rapidbyte` binary moves PostgreSQL tables into
// Parquet, CSV and JSON Lines files on a local directory; DuckDB (@duckdb/node-api, pinned in
// tests/interop, run by duckdb_query.mjs) reads them back and they are compared with the
// source: row counts, key uniqueness and a content hash over every column. Exactly once:
// kill -9 mid-run then rerun, an interrupted publish finished by the next run, leftovers
// removed, replace keeping only the new run's files. On S3 (SPEC §16.4), against s3rver
// (tests/interop/s3rver.h) on loopback: objects fetched back with src/s3 and read by DuckDB,
// multipart uploads completed only after the commit record, kill -9 mid-upload then rerun,
// ACCESS_DENIED and BUCKET_NOT_FOUND from run and check.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "net/pgwire_stream.h"
#include "s3/client.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/type_fixture.h"
#include "tests/interop/run_command.h"
#include "tests/interop/s3rver.h"

namespace rapidbyte::e2e {
namespace {

namespace fs = std::filesystem;

// A table with the values CSV and JSON make hard: NULLs, empty strings, commas, quotes and
// line breaks in text, exact decimals, microsecond timestamps, bytes.
constexpr const char* kTypedTable =
    "CREATE TABLE typed (id bigint PRIMARY KEY, name text, amount numeric(12,2), "
    "ts timestamptz, flag boolean, data bytea);"
    "INSERT INTO typed SELECT i,"
    " CASE WHEN i % 10 = 0 THEN NULL WHEN i % 7 = 0 THEN '' WHEN i % 11 = 0 THEN"
    "  'line' || chr(10) || 'break \"q\"' ELSE 'name \"' || i || '\", x' END,"
    " CASE WHEN i % 13 = 0 THEN NULL ELSE i * 1.25 END,"
    " CASE WHEN i % 17 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00:00+00' +"
    "  i * interval '1 second 1 microsecond' END,"
    " i % 2 = 0, CASE WHEN i % 19 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END"
    " FROM generate_series(1, 5000) AS i";

// One text line per row over every column of `typed`, the same in PostgreSQL and DuckDB.
constexpr const char* kPgTypedDigest =
    "SELECT count(*), count(DISTINCT id), md5(string_agg(concat_ws('|', id,"
    " coalesce(name, '<N>'), coalesce(amount::text, '<N>'),"
    " coalesce(((extract(epoch FROM ts) * 1000000)::bigint)::text, '<N>'),"
    " CASE WHEN flag THEN '1' ELSE '0' END, coalesce(encode(data, 'base64'), '<N>')),"
    " chr(10) ORDER BY id)) FROM typed";

class FilesTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    if (HasFatalFailure()) return;
    const char* source_dir = std::getenv("RB_SOURCE_DIR");
    ASSERT_NE(source_dir, nullptr) << "RB_SOURCE_DIR must be set (ctest sets it)";
    scripts_ = fs::path(source_dir) / "tests" / "interop";
    ASSERT_TRUE(fs::exists(scripts_ / "node_modules" / "@duckdb" / "node-api" / "package.json"))
        << "run scripts/setup.sh (npm ci in tests/interop)";
    out_ = dir_ + "/lake";
  }

  // A pipeline from the fixture's source database into dest-files with `config` items
  // (a flow map's inside) and the streams' YAML.
  std::string FilesPipeline(const std::string& name, const std::string& streams,
                            const std::string& config, const std::string& write_mode = "append",
                            const std::string& resources = "",
                            const std::string& source_extra = "") {
    std::string yaml = "version: \"1.0\"\npipeline: " + name + "\nsource:\n  use: source-postgres\n"
                       "  config: " + PgConfig(src_, source_extra) + "\n  streams:\n" + streams +
                       "destination:\n  use: dest-files\n  config: {" + config +
                       "}\n  write_mode: " + write_mode + "\n";
    if (!resources.empty()) yaml += "resources:\n" + resources;
    const std::string path = dir_ + "/" + name + ".yaml";
    testing::WriteFile(path, yaml);
    return path;
  }

  // Rows of `sql` run by DuckDB, every value as text (NULL as null).
  Json DuckDb(const std::string& sql) {
    std::string quoted;
    for (char c : sql) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    const std::string out = testing::RunCommand("cd '" + scripts_.string() +
                                                "' && node duckdb_query.mjs '" + quoted + "'");
    Json rows = Json::parse(out, nullptr, false);
    EXPECT_FALSE(rows.is_discarded()) << out;
    return rows;
  }

  // The DuckDB reader of a stream's visible files in `format`.
  static std::string Reader(const std::string& stream_dir, const std::string& format) {
    if (format == "parquet") return "read_parquet('" + stream_dir + "/*.parquet')";
    if (format == "csv") {
      return "read_csv('" + stream_dir + "/*.csv*', header = true, all_varchar = true, "
             "allow_quoted_nulls = false)";
    }
    return "read_json('" + stream_dir + "/*.jsonl*', format = 'newline_delimited')";
  }

  // count, distinct ids and the digest of kPgTypedDigest over the files of `typed`.
  Json TypedDigest(const std::string& stream_dir, const std::string& format) {
    const std::string data = format == "parquet" ? "base64(data)" : "data::VARCHAR";
    return DuckDb(
        "SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR, md5(string_agg(concat_ws('|', "
        "id::BIGINT, coalesce(name::VARCHAR, '<N>'), coalesce(amount::DECIMAL(12,2)::VARCHAR, "
        "'<N>'), coalesce(epoch_us(ts::TIMESTAMPTZ)::VARCHAR, '<N>'), CASE WHEN flag::BOOLEAN "
        "THEN '1' ELSE '0' END, coalesce(" + data + ", '<N>')), chr(10) ORDER BY id::BIGINT)) "
        "FROM " + Reader(stream_dir, format))[0];
  }

  static std::vector<std::string> Names(const std::string& dir) {
    std::vector<std::string> names;
    if (!fs::exists(dir)) return names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  // The data files of a stream directory (not _tmp and _rapidbyte).
  static std::vector<std::string> DataFiles(const std::string& stream_dir) {
    std::vector<std::string> out;
    for (const std::string& n : Names(stream_dir)) {
      if (n[0] != '_') out.push_back(n);
    }
    return out;
  }

  fs::path scripts_;
  std::string out_;
};

// §16.3: every format and compression holds every row once with every value (NULL and the
// empty string apart, text with quotes and line breaks, exact decimals, microseconds, bytes).
TEST_F(FilesTest, EveryFormatAndCodecHoldsEveryRowWithItsValues) {
  src_.Exec(kTypedTable);
  const PgCluster::Row expected = src_.Query(kPgTypedDigest).at(0);
  struct Case {
    std::string format, codec, level;  // level: compression_level, or empty for the default
  };
  const std::vector<Case> cases = {
      {"parquet", "zstd", ""}, {"parquet", "zstd", "19"}, {"parquet", "snappy", ""},
      {"parquet", "gzip", ""}, {"parquet", "gzip", "1"},  {"parquet", "none", ""},
      {"csv", "none", ""},     {"csv", "zstd", ""},       {"csv", "zstd", "7"},
      {"csv", "gzip", ""},     {"jsonl", "none", ""},     {"jsonl", "zstd", ""},
      {"jsonl", "gzip", "9"}};
  for (const auto& [format, codec, level] : cases) {
    const std::string name = format + "_" + codec + (level.empty() ? "" : "_" + level);
    SCOPED_TRACE(name);
    const std::string dir = out_ + "/" + name;
    const RunOutput r = Run(FilesPipeline(
        "files_" + name, "    - name: typed\n",
        "path: " + dir + ", format: " + format + ", compression: " + codec +
            (level.empty() ? "" : ", compression_level: " + level)));
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.result["records_written"], 5000);
    const std::string stream_dir = dir + "/public.typed";
    EXPECT_EQ(DataFiles(stream_dir).size(), 1u);
    EXPECT_TRUE(Names(stream_dir + "/_tmp").empty());
    EXPECT_TRUE(fs::exists(stream_dir + "/_rapidbyte/commit.json"));
    const Json got = TypedDigest(stream_dir, format);
    EXPECT_EQ(got[0], *expected[0]);
    EXPECT_EQ(got[1], *expected[1]);
    EXPECT_EQ(got[2], *expected[2]) << "content differs";
  }
}

// §16.3 with the e2e suite's type-fidelity table (every §9.1 type, NULLs and edge values):
// every format and Parquet codec takes it; DuckDB reads every file and hyparquet every
// Parquet file; the values that PostgreSQL and DuckDB print alike are compared one by one.
TEST_F(FilesTest, TheTypeFidelityTableReachesEveryReader) {
  src_.Exec(kUserTypes);
  src_.Exec(kAllTypes);
  const std::vector<std::string> columns = {"c_int2", "c_int4", "c_int8", "c_num",
                                            "c_num_big", "c_text", "c_varchar", "c_uuid",
                                            "c_json", "c_mood", "c_inet", "n_text"};
  std::string pg_select = "SELECT ", duck_select = "SELECT ";
  for (const std::string& c : columns) {
    pg_select += (c == columns[0] ? "" : ", ") + c + "::text";
    duck_select += (c == columns[0] ? "" : ", ") + c + "::VARCHAR";
  }
  Json want = Json::array();
  for (const PgCluster::Row& row : src_.Query(pg_select + " FROM all_types ORDER BY id")) {
    Json cells = Json::array();
    for (const auto& cell : row) cells.push_back(cell ? Json(*cell) : Json(nullptr));
    want.push_back(cells);
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"parquet", "zstd"}, {"parquet", "snappy"}, {"parquet", "gzip"}, {"csv", "zstd"},
      {"jsonl", "gzip"}};
  for (const auto& [format, codec] : cases) {
    SCOPED_TRACE(format + "/" + codec);
    const std::string dir = out_ + "/types_" + format + "_" + codec;
    const RunOutput r = Run(FilesPipeline("files_types_" + format + "_" + codec,
                                          "    - name: all_types\n",
                                          "path: " + dir + ", format: " + format +
                                              ", compression: " + codec));
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.result["records_written"], 5);
    const std::string stream_dir = dir + "/public.all_types";
    EXPECT_EQ(DuckDb("SELECT count(*)::VARCHAR FROM " + Reader(stream_dir, format))[0][0], "5");
    if (format != "parquet") continue;
    EXPECT_EQ(DuckDb(duck_select + " FROM " + Reader(stream_dir, format) + " ORDER BY id"), want);
    const std::vector<std::string> files = DataFiles(stream_dir);
    ASSERT_EQ(files.size(), 1u);
    const Json hy = Json::parse(testing::RunCommand("cd '" + scripts_.string() +
                                                    "' && node read_parquet.mjs hyparquet '" +
                                                    stream_dir + "/" + files[0] + "'"),
                                nullptr, false);
    ASSERT_TRUE(hy.is_object()) << "hyparquet could not read " << files[0];
    EXPECT_EQ(hy["columns"]["id"], Json::parse(R"(["1","2","3","4","5"])"));
    EXPECT_EQ(hy["columns"]["c_int8"][2], "-9223372036854775808");
  }
}

// §16.1: file_size rolls over to new files; the files together hold the rows once.
TEST_F(FilesTest, FilesRollOverAtFileSize) {
  CreateBenchEvents(src_, 60000);
  const RunOutput r = Run(FilesPipeline("files_roll", "    - name: bench_events\n",
                                        "path: " + out_ + ", format: csv, file_size: 1mb"));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  const std::vector<std::string> files = DataFiles(out_ + "/public.bench_events");
  EXPECT_GE(files.size(), 3u);
  for (const std::string& f : files) EXPECT_TRUE(f.ends_with(".csv")) << f;
  const Json got = DuckDb("SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR, "
                          "sum(id::BIGINT)::VARCHAR FROM " +
                          Reader(out_ + "/public.bench_events", "csv"))[0];
  const Json want = Json::parse(R"(["60000","60000","1800030000"])");
  EXPECT_EQ(got, want);
}

// §16.3: the Parquet files carry the exact types of every §9 column family.
TEST_F(FilesTest, ParquetKeepsTheColumnTypes) {
  src_.Exec(
      "CREATE TABLE kinds (id int PRIMARY KEY, i8 bigint, n numeric(12,2), t text, b bytea, "
      "d date, ts timestamp, tz timestamptz, u uuid, j jsonb, arr integer[], f float8, ok bool);"
      "INSERT INTO kinds VALUES (1, -5, 12.34, 'x', '\\x00ff', '2024-02-29', "
      "'2024-01-31 10:00:00.5', '2024-01-31 10:00:00+00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
      " '{\"a\": 1}', '{1,NULL,3}', -0.5, true), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
      " NULL, NULL, NULL, NULL, NULL)");
  const RunOutput r =
      Run(FilesPipeline("files_kinds", "    - name: kinds\n", "path: " + out_));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  const std::string files = Reader(out_ + "/public.kinds", "parquet");
  Json types = Json::object();
  for (const Json& row : DuckDb("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " +
                                files + ")")) {
    types[row[0].get<std::string>()] = row[1];
  }
  const Json want_types = Json::parse(R"json({"id": "INTEGER", "i8": "BIGINT",
      "n": "DECIMAL(12,2)", "t": "VARCHAR", "b": "BLOB", "d": "DATE", "ts": "TIMESTAMP",
      "tz": "TIMESTAMP WITH TIME ZONE", "u": "UUID", "j": "JSON", "arr": "INTEGER[]",
      "f": "DOUBLE", "ok": "BOOLEAN"})json");
  EXPECT_EQ(types, want_types);
  const Json want_values = Json::parse(R"(["-5", "12.34", "00FF", "2024-02-29",
      "2024-01-31 10:00:00.5", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "[1, NULL, 3]", "-0.5"])");
  EXPECT_EQ(DuckDb("SELECT i8::VARCHAR, n::VARCHAR, hex(b), d::VARCHAR, ts::VARCHAR, "
                   "u::VARCHAR, arr::VARCHAR, f::VARCHAR FROM " + files + " WHERE id = 1")[0],
            want_values);
}

// §16.2: kill -9 mid-run (after at least two commits), then rerun: the visible files hold
// every source row exactly once, and nothing is left in _tmp.
TEST_F(FilesTest, KillNineMidRunThenRerunHoldsEveryRowOnce) {
  const std::int64_t rows = RowsKnob(20000);
  CreateBenchEvents(src_, rows);
  src_.Exec(
      "CREATE FUNCTION e2e_pace(i int) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
      "IF i % 200 = 0 THEN PERFORM pg_sleep(0.025); END IF; RETURN true; END $$;"
      "CREATE VIEW paced_events AS SELECT * FROM bench_events WHERE e2e_pace(id);"
      "ALTER DATABASE " + src_.name + " SET enable_sort = off;");
  const std::int64_t interval = rows / 10;
  const std::string p = FilesPipeline(
      "files_kill",
      "    - name: paced_events\n      sync_mode: incremental\n      cursor_field: id\n",
      "path: " + out_ + ", format: parquet",
      "append", "  checkpoint_interval_rows: " + std::to_string(interval) + "\n",
      "max_batch_rows: " + std::to_string(interval / 4));
  const std::string stream_dir = out_ + "/public.paced_events";
  bool killed = false;
  CommandOptions options;
  options.while_running = [&](int pid) {
    if (WaitWhileRunning(pid, 120, [&] { return DataFiles(stream_dir).size() >= 2; })) {
      killed = kill(pid, SIGKILL) == 0;
    }
  };
  const CommandRun first = Cli({"run", p, "--output", "json"}, options);
  ASSERT_TRUE(killed) << "the run ended before two commits\n" << first.err;
  EXPECT_EQ(first.exit_code, 128 + SIGKILL);
  const std::size_t visible = DataFiles(stream_dir).size();
  EXPECT_GE(visible, 2u);

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_LT(r.result["records_read"].get<std::int64_t>(), rows);  // resumed, not restarted
  const Json got = DuckDb("SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR FROM " +
                          Reader(stream_dir, "parquet"))[0];
  EXPECT_EQ(got[0], std::to_string(rows));
  EXPECT_EQ(got[1], std::to_string(rows));
  EXPECT_TRUE(Names(stream_dir + "/_tmp").empty());
}

// §16.2: a crash after the commit record was replaced but before its files were renamed is
// finished by the next run (the files the record names are published); any other leftover
// in _tmp is removed and never published.
TEST_F(FilesTest, NextRunFinishesAnInterruptedPublishAndRemovesLeftovers) {
  CreateBenchEvents(src_, 3000);
  const std::string p = FilesPipeline(
      "files_recover", "    - name: bench_events\n      sync_mode: incremental\n"
      "      cursor_field: id\n", "path: " + out_ + ", format: jsonl");
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  const std::string stream_dir = out_ + "/public.bench_events";
  const std::vector<std::string> files = DataFiles(stream_dir);
  ASSERT_EQ(files.size(), 1u);
  // The state a crash between the record and the rename leaves: the file still in _tmp.
  fs::rename(stream_dir + "/" + files[0], stream_dir + "/_tmp/" + files[0]);
  testing::WriteFile(stream_dir + "/_tmp/1-0-99.jsonl", "{\"id\": 1}\n");

  src_.Exec("INSERT INTO bench_events (event_type, user_id, amount, is_active) "
            "SELECT 'late', 1, 1, true FROM generate_series(1, 10)");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(second.result["records_read"], 10);
  EXPECT_TRUE(Names(stream_dir + "/_tmp").empty());
  EXPECT_EQ(DataFiles(stream_dir).size(), 2u);
  const Json got = DuckDb("SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR FROM " +
                          Reader(stream_dir, "jsonl"))[0];
  const Json want = Json::parse(R"(["3010","3010"])");
  EXPECT_EQ(got, want);
}

// §16.2: replace removes the files of earlier runs only once the new run has committed.
TEST_F(FilesTest, ReplaceKeepsOnlyTheNewRunsFiles) {
  CreateBenchEvents(src_, 2000);
  const std::string p = FilesPipeline("files_replace", "    - name: bench_events\n",
                                      "path: " + out_ + ", format: csv, compression: gzip",
                                      "replace");
  ASSERT_EQ(Run(p).exit_code(), 0);
  const std::string stream_dir = out_ + "/public.bench_events";
  const std::vector<std::string> before = DataFiles(stream_dir);
  ASSERT_EQ(before.size(), 1u);
  testing::WriteFile(stream_dir + "/notes.txt", "a user's file stays");
  src_.Exec("DELETE FROM bench_events WHERE id > 1500");
  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  const std::vector<std::string> after = DataFiles(stream_dir);
  ASSERT_EQ(after.size(), 2u);  // the new run's file and notes.txt
  EXPECT_NE(after[0], before[0]);
  EXPECT_TRUE(fs::exists(stream_dir + "/notes.txt"));
  EXPECT_EQ(DuckDb("SELECT count(*)::VARCHAR FROM " + Reader(stream_dir, "csv"))[0][0], "1500");
}

// §16.3: memory is bounded by row_group_size plus frames in flight, whatever the table
// size: the run's own peak RSS at 5x the rows stays within 20% (RB_E2E_ROWS scales them;
// the bench's files suite measures the absolute figure at 1M and 10M rows).
TEST_F(FilesTest, PeakMemoryIsFlatFromOneToFiveTimesTheRows) {
  const std::int64_t rows = RowsKnob(100000);
  Db large{&pg(), src_.name + "_x5"};
  ASSERT_TRUE(pg().CreateDatabase(large.name).ok());
  CreateBenchEvents(src_, rows);
  CreateBenchEvents(large, rows * 5);
  std::int64_t peak[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const std::string dir = out_ + (i == 0 ? "/x1" : "/x5");
    std::string yaml = "version: \"1.0\"\npipeline: files_mem_" + std::to_string(i) +
                       "\nsource:\n  use: source-postgres\n  config: " +
                       PgConfig(i == 0 ? src_ : large) +
                       "\n  streams:\n    - name: bench_events\ndestination:\n  use: dest-files\n"
                       "  config: {path: " + dir + ", row_group_size: 2mb}\n  write_mode: append\n"
                       "resources:\n  max_batch_bytes: 4mb\n";
    const std::string path = dir_ + "/files_mem_" + std::to_string(i) + ".yaml";
    testing::WriteFile(path, yaml);
    const RunOutput r = Run(path, {}, WithoutAsanQuarantine());
    ASSERT_EQ(r.exit_code(), 0) << r.Describe();
    EXPECT_EQ(r.result["records_written"], rows * (i == 0 ? 1 : 5));
    peak[i] = r.result["peak_rss_bytes"].get<std::int64_t>();
    ASSERT_GT(peak[i], 0);
  }
  const double growth = static_cast<double>(peak[1]) / static_cast<double>(peak[0]);
  EXPECT_LT(growth, 1.2) << "peak RSS " << peak[0] << " bytes at " << rows << " rows, " << peak[1]
                         << " bytes at " << rows * 5;
  const Json got = DuckDb("SELECT count(*)::VARCHAR FROM " +
                          Reader(out_ + "/x5/public.bench_events", "parquet"))[0];
  EXPECT_EQ(got[0], std::to_string(rows * 5));
}

// §16.1: upsert is refused by check; malformed config names the field.
TEST_F(FilesTest, CheckRefusesUpsertAndNamesBadFields) {
  CreateUsersAndOrders(src_);
  const CommandRun upsert = Cli({"check", FilesPipeline("files_upsert", "    - name: users\n",
                                                        "path: " + out_, "upsert")});
  EXPECT_NE(upsert.exit_code, 0);
  EXPECT_TRUE(Contains(upsert.out + upsert.err, "upsert")) << upsert.out << upsert.err;
  const CommandRun format = Cli({"check", FilesPipeline("files_badformat", "    - name: users\n",
                                                        "path: " + out_ + ", format: xml")});
  EXPECT_NE(format.exit_code, 0);
  EXPECT_TRUE(Contains(format.out + format.err, "format")) << format.out << format.err;
  const CommandRun relative = Cli({"check", FilesPipeline("files_relative", "    - name: users\n",
                                                          "path: lake/out")});
  EXPECT_NE(relative.exit_code, 0);
  EXPECT_TRUE(Contains(relative.out + relative.err, "path")) << relative.out << relative.err;
  // compression_level: within the codec's range, and only for codecs that have levels.
  const CommandRun high = Cli({"check", FilesPipeline("files_level", "    - name: users\n",
                                                      "path: " + out_ + ", compression_level: 40")});
  EXPECT_NE(high.exit_code, 0);
  EXPECT_TRUE(Contains(high.out + high.err, "config.compression_level")) << high.out << high.err;
  const CommandRun snappy = Cli(
      {"check", FilesPipeline("files_snappy_level", "    - name: users\n",
                              "path: " + out_ + ", compression: snappy, compression_level: 3")});
  EXPECT_NE(snappy.exit_code, 0);
  EXPECT_TRUE(Contains(snappy.out + snappy.err, "config.compression_level"))
      << snappy.out << snappy.err;
  EXPECT_TRUE(Contains(snappy.out + snappy.err, "snappy")) << snappy.out << snappy.err;
  const CommandRun ok = Cli({"check", FilesPipeline("files_ok", "    - name: users\n",
                                                    "path: " + out_ + ", format: jsonl")});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
}

// dest-files on S3 (SPEC §16.4) against s3rver on loopback, one server for the suite.
class FilesS3Test : public FilesTest {
 protected:
  static constexpr const char* kBucket = "rb-test";
  static constexpr const char* kSecret = "S3RVER";

  static void SetUpTestSuite() {
    server_ = new testing::S3rver();
    server_->Start();
  }
  static void TearDownTestSuite() {
    server_->Stop();
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    FilesTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_NE(server_->port(), 0) << "s3rver is not running";
    endpoint_ = "http://127.0.0.1:" + std::to_string(server_->port());
    s3::S3Options options;
    options.endpoint = endpoint_;
    options.credentials = {"S3RVER", kSecret, ""};
    options.path_style = true;
    options.connect = [](const std::string& host, std::uint16_t port) {
      return net::ConnectPgwireStream(host, port, 5000);
    };
    options.sleep = [](int ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return Status::OK();
    };
    auto client = s3::S3Client::Make(std::move(options));
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(*client);
  }

  // The destination config items for s3://<bucket>/<prefix>.
  std::string S3Config(const std::string& prefix, const std::string& extra,
                       const std::string& secret = kSecret,
                       const std::string& bucket = kBucket) const {
    return "path: 's3://" + bucket + "/" + prefix + "', " + extra +
           (extra.empty() ? "" : ", ") + "s3: {endpoint: '" + endpoint_ +
           "', region: us-east-1, access_key_id: S3RVER, secret_access_key: '" + secret +
           "', path_style: true}";
  }

  // The data objects of a stream (keys directly under <prefix>/<stream>/), fetched into a
  // fresh local directory that is returned.
  std::string Fetch(const std::string& stream_prefix, std::vector<std::string>* names = nullptr) {
    const std::string local = dir_ + "/fetched/" + std::to_string(fetches_++);
    fs::create_directories(local);
    auto objects = client_->ListAllObjects(kBucket, stream_prefix + "/");
    EXPECT_TRUE(objects.ok()) << objects.status().ToString();
    if (!objects.ok()) return local;
    for (const s3::ObjectInfo& object : *objects) {
      const std::string name = object.key.substr(stream_prefix.size() + 1);
      if (name.find('/') != std::string::npos) continue;
      auto body = client_->GetObject(kBucket, object.key, std::size_t{256} << 20);
      EXPECT_TRUE(body.ok()) << body.status().ToString();
      if (!body.ok()) continue;
      EXPECT_EQ(body->size(), object.size) << object.key;
      std::ofstream(local + "/" + name, std::ios::binary)
          .write(reinterpret_cast<const char*>(body->data()),
                 static_cast<std::streamsize>(body->size()));
      if (names != nullptr) names->push_back(name);
    }
    return local;
  }

  std::vector<s3::UploadInfo> OpenUploads(const std::string& prefix) {
    auto uploads = client_->ListAllMultipartUploads(kBucket, prefix);
    EXPECT_TRUE(uploads.ok()) << uploads.status().ToString();
    return uploads.ok() ? *uploads : std::vector<s3::UploadInfo>{};
  }

  Json CommitRecord(const std::string& stream_prefix) {
    auto body = client_->GetObject(kBucket, stream_prefix + "/_rapidbyte/commit.json", 1 << 20);
    EXPECT_TRUE(body.ok()) << body.status().ToString();
    if (!body.ok()) return Json();
    return Json::parse(std::string(body->begin(), body->end()), nullptr, false);
  }

  // 32 + 32 hex characters a row: about 80 bytes of uncompressed Parquet each.
  void CreateBulk(std::int64_t rows) {
    src_.Exec("CREATE TABLE bulk (id bigint PRIMARY KEY, h text, h2 text);"
              "INSERT INTO bulk SELECT i, md5(i::text), md5((i * 7)::text) FROM "
              "generate_series(1, " + std::to_string(rows) + ") AS i");
  }
  PgCluster::Row PgBulkDigest() {
    return src_.Query("SELECT count(*), count(DISTINCT id), md5(string_agg(concat_ws('|', id, h, "
                      "h2), chr(10) ORDER BY id)) FROM bulk").at(0);
  }
  Json DuckBulkDigest(const std::string& local) {
    return DuckDb("SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR, md5(string_agg("
                  "concat_ws('|', id, h, h2), chr(10) ORDER BY id)) FROM " +
                  Reader(local, "parquet"))[0];
  }

  static testing::S3rver* server_;
  std::string endpoint_;
  std::unique_ptr<s3::S3Client> client_;
  int fetches_ = 0;
};

testing::S3rver* FilesS3Test::server_ = nullptr;

// §16.4: every value of the typed table reaches S3 as Parquet and back (fetched byte for byte,
// read by DuckDB); the commit record is an object under _rapidbyte/; no upload stays open.
TEST_F(FilesS3Test, ParquetOnS3HoldsEveryRowWithItsValues) {
  src_.Exec(kTypedTable);
  const PgCluster::Row expected = src_.Query(kPgTypedDigest).at(0);
  const RunOutput r = Run(FilesPipeline("s3_typed", "    - name: typed\n",
                                        S3Config("typed/out", "format: parquet")));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.result["records_written"], 5000);
  std::vector<std::string> names;
  const std::string local = Fetch("typed/out/public.typed", &names);
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(names[0].ends_with("-0-0.parquet")) << names[0];  // <run>-0-<n>.parquet
  const Json got = TypedDigest(local, "parquet");
  EXPECT_EQ(got[0], *expected[0]);
  EXPECT_EQ(got[1], *expected[1]);
  EXPECT_EQ(got[2], *expected[2]) << "content differs";
  EXPECT_EQ(CommitRecord("typed/out/public.typed")["token"].is_string(), true);
  EXPECT_TRUE(OpenUploads("typed/").empty());
}

// §16.1 + §16.4: one run rolls over into several files at file_size 1mb; with a larger
// file_size one file of more than 8 MiB is a multipart upload of several parts. DuckDB reads
// every row once with its values.
TEST_F(FilesS3Test, SeveralFilesAndAMultiPartUploadInOneRun) {
  CreateBulk(200000);
  const PgCluster::Row expected = PgBulkDigest();
  const RunOutput small = Run(FilesPipeline("s3_small", "    - name: bulk\n",
      S3Config("small", "format: parquet, compression: none, file_size: 1mb")));
  ASSERT_EQ(small.exit_code(), 0) << small.Describe();
  std::vector<std::string> names;
  std::string local = Fetch("small/public.bulk", &names);
  EXPECT_GE(names.size(), 8u);
  Json got = DuckBulkDigest(local);
  EXPECT_EQ(got[0], *expected[0]);
  EXPECT_EQ(got[1], *expected[1]);
  EXPECT_EQ(got[2], *expected[2]);

  const RunOutput big = Run(FilesPipeline("s3_big", "    - name: bulk\n",
      S3Config("big", "format: parquet, compression: none, file_size: 64mb")));
  ASSERT_EQ(big.exit_code(), 0) << big.Describe();
  names.clear();
  local = Fetch("big/public.bulk", &names);
  ASSERT_EQ(names.size(), 1u);
  EXPECT_GT(fs::file_size(local + "/" + names[0]), std::uintmax_t{8} << 20);
  const Json record = CommitRecord("big/public.bulk");
  ASSERT_TRUE(record["publish"].is_array()) << record.dump();
  ASSERT_EQ(record["publish"].size(), 1u);
  EXPECT_GE(record["publish"][0]["parts"].size(), 2u) << record.dump();
  EXPECT_EQ(record["publish"][0]["name"], names[0]);
  got = DuckBulkDigest(local);
  EXPECT_EQ(got[0], *expected[0]);
  EXPECT_EQ(got[1], *expected[1]);
  EXPECT_EQ(got[2], *expected[2]);
  EXPECT_TRUE(OpenUploads("").empty());
}

// §16.2 on S3: kill -9 while a multipart upload is open, then rerun: every row exactly once,
// and the killed run's upload is aborted (no open upload is left).
TEST_F(FilesS3Test, KillNineMidUploadThenRerunHoldsEveryRowOnce) {
  const std::int64_t rows = 300000;
  CreateBulk(rows);
  src_.Exec(
      "CREATE FUNCTION e2e_pace(i bigint) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$ BEGIN "
      "IF i % 2000 = 0 THEN PERFORM pg_sleep(0.02); END IF; RETURN true; END $$;"
      "CREATE VIEW paced_bulk AS SELECT * FROM bulk WHERE e2e_pace(id);"
      "ALTER DATABASE " + src_.name + " SET enable_sort = off;");
  const std::string p = FilesPipeline(
      "s3_kill", "    - name: paced_bulk\n      sync_mode: incremental\n      cursor_field: id\n",
      S3Config("kill", "format: parquet, compression: none, file_size: 64mb"), "append",
      "  checkpoint_interval_rows: 150000\n", "max_batch_rows: 10000");
  bool killed = false;
  CommandOptions options;
  options.while_running = [&](int pid) {
    if (WaitWhileRunning(pid, 180, [&] { return !OpenUploads("kill/").empty(); })) {
      killed = kill(pid, SIGKILL) == 0;
    }
  };
  const CommandRun first = Cli({"run", p, "--output", "json"}, options);
  ASSERT_TRUE(killed) << "no multipart upload was seen open\n" << first.err;
  EXPECT_EQ(first.exit_code, 128 + SIGKILL);

  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  const std::string local = Fetch("kill/public.paced_bulk");
  const Json got = DuckDb("SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR FROM " +
                          Reader(local, "parquet"))[0];
  EXPECT_EQ(got[0], std::to_string(rows));
  EXPECT_EQ(got[1], std::to_string(rows));
  EXPECT_TRUE(OpenUploads("kill/").empty());
}

// §16.2 on S3: a crash after the commit record was written but before its uploads were
// completed is finished by the next run (the upload the record names is completed); any
// other open upload under the stream is aborted and never becomes an object.
TEST_F(FilesS3Test, NextRunCompletesAnInterruptedPublish) {
  CreateBenchEvents(src_, 3000);
  const std::string p = FilesPipeline(
      "s3_recover", "    - name: bench_events\n      sync_mode: incremental\n"
      "      cursor_field: id\n", S3Config("rec", "format: jsonl"));
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  const std::string base = "rec/public.bench_events/";
  std::vector<std::string> names;
  Fetch("rec/public.bench_events", &names);
  ASSERT_EQ(names.size(), 1u);
  // The state such a crash leaves: the record names an upload that is still open (the
  // object's bytes uploaded again as its one part), plus a leftover upload of another file.
  const std::string key = base + names[0];
  auto bytes = client_->GetObject(kBucket, key, std::size_t{16} << 20);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_TRUE(client_->DeleteObject(kBucket, key).ok());
  auto upload = client_->CreateMultipartUpload(kBucket, key);
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  auto etag = client_->UploadPart(kBucket, key, *upload, 1, *bytes);
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  Json record = CommitRecord("rec/public.bench_events");
  ASSERT_EQ(record["publish"].size(), 1u) << record.dump();
  record["publish"][0]["upload_id"] = *upload;
  record["publish"][0]["parts"] = Json::array({Json{{"number", 1}, {"etag", *etag}}});
  const std::string text = record.dump();
  ASSERT_TRUE(client_->PutObject(kBucket, base + "_rapidbyte/commit.json",
                                 {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()})
                  .ok());
  auto leftover = client_->CreateMultipartUpload(kBucket, base + "1-0-99.jsonl");
  ASSERT_TRUE(leftover.ok()) << leftover.status().ToString();
  ASSERT_EQ(OpenUploads(base).size(), 2u);

  src_.Exec("INSERT INTO bench_events (event_type, user_id, amount, is_active) "
            "SELECT 'late', 1, 1, true FROM generate_series(1, 10)");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  EXPECT_EQ(second.result["records_read"], 10);
  EXPECT_TRUE(OpenUploads(base).empty());
  names.clear();
  const std::string local = Fetch("rec/public.bench_events", &names);
  EXPECT_EQ(names.size(), 2u);
  const Json got = DuckDb("SELECT count(*)::VARCHAR, count(DISTINCT id)::VARCHAR FROM " +
                          Reader(local, "jsonl"))[0];
  EXPECT_EQ(got, Json::parse(R"(["3010","3010"])"));
}

// §16.2 on S3: replace deletes the objects of earlier runs only once the new run committed;
// objects whose names are not rapidbyte's stay; no upload is left open.
TEST_F(FilesS3Test, ReplaceKeepsOnlyTheNewRunsObjects) {
  CreateBenchEvents(src_, 2000);
  const std::string p = FilesPipeline("s3_replace", "    - name: bench_events\n",
                                      S3Config("rep", "format: csv, compression: gzip"),
                                      "replace");
  ASSERT_EQ(Run(p).exit_code(), 0);
  std::vector<std::string> before;
  Fetch("rep/public.bench_events", &before);
  ASSERT_EQ(before.size(), 1u);
  const std::string note = "a user's object stays";
  ASSERT_TRUE(client_->PutObject(kBucket, "rep/public.bench_events/notes.txt",
                                 {reinterpret_cast<const std::uint8_t*>(note.data()), note.size()})
                  .ok());
  src_.Exec("DELETE FROM bench_events WHERE id > 1500");
  const RunOutput r = Run(p);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  std::vector<std::string> after;
  const std::string local = Fetch("rep/public.bench_events", &after);
  std::sort(after.begin(), after.end());
  ASSERT_EQ(after.size(), 2u);  // the new run's object and notes.txt
  EXPECT_EQ(after[1], "notes.txt");
  EXPECT_NE(after[0], before[0]);
  fs::remove(local + "/notes.txt");
  EXPECT_EQ(DuckDb("SELECT count(*)::VARCHAR FROM " + Reader(local, "csv"))[0][0], "1500");
  EXPECT_TRUE(OpenUploads("rep/").empty());
}

// §16.4 errors: a wrong secret is ACCESS_DENIED (and the secret is never shown); a missing
// bucket is BUCKET_NOT_FOUND naming the bucket and the endpoint; `check` reports both.
TEST_F(FilesS3Test, WrongSecretAndMissingBucketAreNamedErrors) {
  CreateUsersAndOrders(src_);
  const std::string secret = "not-the-secret-7f3a9c";
  const std::string denied = FilesPipeline("s3_denied", "    - name: users\n",
                                           S3Config("denied", "format: jsonl", secret));
  const RunOutput r = Run(denied);
  EXPECT_NE(r.exit_code(), 0);
  EXPECT_TRUE(Contains(r.cmd.out + r.cmd.err, "ACCESS_DENIED")) << r.Describe();
  EXPECT_FALSE(Contains(r.cmd.out + r.cmd.err, secret)) << r.Describe();
  const CommandRun check_denied = Cli({"check", denied});
  EXPECT_NE(check_denied.exit_code, 0);
  EXPECT_TRUE(Contains(check_denied.out + check_denied.err, "ACCESS_DENIED"))
      << check_denied.out << check_denied.err;
  EXPECT_FALSE(Contains(check_denied.out + check_denied.err, secret));

  const std::string missing = FilesPipeline(
      "s3_missing", "    - name: users\n",
      S3Config("x", "format: jsonl", kSecret, "no-such-bucket"));
  const RunOutput m = Run(missing);
  EXPECT_NE(m.exit_code(), 0);
  const std::string endpoint_host = "127.0.0.1:" + std::to_string(server_->port());
  for (const std::string& text : {m.cmd.out + m.cmd.err}) {
    EXPECT_TRUE(Contains(text, "BUCKET_NOT_FOUND")) << m.Describe();
    EXPECT_TRUE(Contains(text, "no-such-bucket")) << m.Describe();
    EXPECT_TRUE(Contains(text, endpoint_host)) << m.Describe();
  }
  const CommandRun check_missing = Cli({"check", missing});
  EXPECT_NE(check_missing.exit_code, 0);
  const std::string text = check_missing.out + check_missing.err;
  EXPECT_TRUE(Contains(text, "BUCKET_NOT_FOUND")) << text;
  EXPECT_TRUE(Contains(text, "no-such-bucket")) << text;
  EXPECT_TRUE(Contains(text, endpoint_host)) << text;
  const CommandRun check_ok = Cli({"check", FilesPipeline("s3_ok", "    - name: users\n",
                                                          S3Config("ok", "format: jsonl"))});
  EXPECT_EQ(check_ok.exit_code, 0) << check_ok.out << check_ok.err;
}

}  // namespace
}  // namespace rapidbyte::e2e
