// The installable connector SDK end to end (SPEC §13.1): `cmake --install --component sdk`
// into a temporary prefix, examples/connectors/source-csv copied out of the tree and built
// against that prefix alone, the module installed with `rapidbyte connectors install`, then
// CSV files into PostgreSQL through dest-postgres with `rapidbyte run`, checking every value.
#include <fcntl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Run a shell command; its output goes to `log`. Returns "" or a failure description.
std::string Shell(const std::string& command, const std::string& log) {
  const int rc = std::system((command + " >" + log + " 2>&1").c_str());
  if (rc == 0) return "";
  return "`" + command + "` failed (" + std::to_string(rc) + "):\n" + ReadText(log);
}

// Write `text` to `path` and give it modification time `mtime` (seconds since the epoch),
// so the incremental order of the files does not depend on how fast the test writes.
void WriteCsv(const std::string& path, const std::string& text, time_t mtime) {
  testing::WriteFile(path, text);
  const timespec times[2] = {{mtime, 0}, {mtime, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

class CsvSdkTest : public E2eTest {
 protected:
  // Once per binary: install the SDK, build the example against it (about a minute).
  static void SetUpTestSuite() {
    E2eTest::SetUpTestSuite();
    const char* src = std::getenv("RB_SOURCE_DIR");
    const char* bin = std::getenv("RB_BINARY_DIR");
    if (src == nullptr || bin == nullptr) {
      setup_error_ = "RB_SOURCE_DIR and RB_BINARY_DIR must be set (ctest sets them)";
      return;
    }
    root_ = testing::MakeTempDir("rb-csv-sdk");
    const std::string prefix = root_ + "/prefix", project = root_ + "/source-csv";
    build_ = root_ + "/build";
    data_ = root_ + "/data";
    fs::create_directories(data_);
    setup_error_ =
        Shell("cmake --install " + std::string(bin) + " --component sdk --prefix " + prefix,
              root_ + "/install.log");
    if (!setup_error_.empty()) return;
    // A copy, so the project cannot reach the tree by a relative path either.
    fs::copy(std::string(src) + "/examples/connectors/source-csv", project,
             fs::copy_options::recursive);
    setup_error_ =
        Shell("cmake -S " + project + " -B " + build_ + " -G Ninja -DCMAKE_PREFIX_PATH=" + prefix +
                  " -DSOURCE_CSV_DIR=" + data_,
              root_ + "/configure.log");
    if (!setup_error_.empty()) return;
    setup_error_ = Shell("cmake --build " + build_ + " -j 2", root_ + "/build.log");
    if (!setup_error_.empty()) return;
    const std::string ninja = ReadText(build_ + "/build.ninja");
    if (ninja.find(std::string(src) + "/src") != std::string::npos ||
        ninja.find(std::string(bin)) != std::string::npos) {
      setup_error_ = "the out-of-tree build refers to the rapidbyte tree: " + build_;
    }
  }
  static void TearDownTestSuite() {
    if (!root_.empty() && !::testing::UnitTest::GetInstance()->Failed()) fs::remove_all(root_);
  }

  void SetUp() override {
    E2eTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(setup_error_, "");
    // The pair the build wrote, installed into this test's HOME (~/.rapidbyte/plugins).
    const CommandRun install = Cli({"connectors", "install", build_ + "/source-csv.wasm"});
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    EXPECT_TRUE(Contains(install.out, "files: " + data_ + " (read-only)")) << install.out;
    dir_csv_ = data_ + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir_csv_);
  }

  // A pipeline reading `stream` (files `pattern`, `columns` a YAML flow list of declared
  // types) from this test's CSV directory into dst_.raw.
  std::string CsvPipeline(const std::string& stream, const std::string& pattern,
                          const std::string& columns, const std::string& stream_lines,
                          const std::string& destination = "",
                          const std::string& config_extra = "") {
    PipelineSpec spec;
    spec.name = "csv_" + stream;
    spec.source_use = "source-csv";
    spec.source_config = "{directory: " + dir_csv_ + ", " + config_extra +
                         "streams: [{name: " + stream + ", pattern: \"" + pattern +
                         "\", columns: " + columns + "}]}";
    spec.streams = "    - name: " + stream + "\n" + stream_lines;
    spec.destination = destination;
    return WritePipeline(spec);
  }

  static std::string root_, build_, data_, setup_error_;
  std::string dir_csv_;
};

std::string CsvSdkTest::root_, CsvSdkTest::build_, CsvSdkTest::data_, CsvSdkTest::setup_error_;

// Every type, quoting rule and NULL of one file, then a second file read incrementally.
TEST_F(CsvSdkTest, CsvToPostgresEveryValueThenIncremental) {
  const std::string header =
      "id,customer,amount,paid,ordered_on,ordered_at,shipped_at,weight,note\n";
  WriteCsv(dir_csv_ + "/orders_1.csv",
           header +
               "1,\"Smith, Jo\",12.50,true,2024-01-31,2024-01-31 10:00:00,"
               "2024-01-31T10:00:00Z,1.5,\"say \"\"hi\"\"\"\n"
               "2,\xc3\x89mile,0.05,false,2024-02-29,2024-02-29T23:59:59.123456,"
               "2024-02-29 12:00:00+02:00,-2.25,\"line one\nline two\"\n"
               "3,,100,TRUE,,2024-03-01 00:00:00,,,\"\"\r\n"
               "4,Null Person,-7.1,false,1999-12-31,1999-12-31 23:59:59.5,"
               "2024-03-01T00:00:00-05:30,1e3,plain\n",
           1700000000);
  // amount is declared; every other type is inferred from the data. Frames of 3 rows.
  const std::string pipeline = CsvPipeline(
      "orders", "orders_*.csv", "[{name: amount, type: \"decimal(10,2)\"}]",
      "      sync_mode: incremental\n      cursor_field: _file\n", "", "max_batch_rows: 3, ");
  // discover: one stream per configured pattern, with the declared and inferred columns.
  const CommandRun discover = Cli({"discover", pipeline, "--output", "json"});
  ASSERT_EQ(discover.exit_code, 0) << discover.out << discover.err;
  const Json catalog = Json::parse(discover.out, nullptr, false);
  ASSERT_TRUE(catalog.contains("streams")) << discover.out;
  std::vector<std::string> discovered;
  for (const auto& c : catalog["streams"][0]["schema"]) {
    discovered.push_back(c["name"].get<std::string>() + " " + c["data_type"].get<std::string>());
  }
  EXPECT_EQ(discovered, (std::vector<std::string>{
                            "id int64", "customer utf8", "amount decimal128(10, 2)", "paid bool",
                            "ordered_on date32", "ordered_at timestamp[us]",
                            "shipped_at timestamp[us, UTC]", "weight float64", "note utf8"}));

  RunOutput r = Run(pipeline);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  Json s = r.Stream("public.orders");
  ASSERT_TRUE(s.is_object()) << r.Describe();
  EXPECT_EQ(s["status"], "completed") << s.dump();
  EXPECT_EQ(s["records_read"], 4);
  EXPECT_EQ(s["records_written"], 4);
  EXPECT_EQ(s["batches_emitted"], 2);
  // The position: the file's modification time (1700000000 s) and name.
  EXPECT_TRUE(Contains(s["cursor"].dump(), "2023-11-14T22:13:20.000000000Z orders_1.csv"))
      << s.dump();

  const std::vector<std::string> types = dst_.ColumnTypes("raw.orders");
  const std::vector<std::string> expected_types = {"id bigint",
                                                   "customer text",
                                                   "amount numeric(10,2)",
                                                   "paid boolean",
                                                   "ordered_on date",
                                                   "ordered_at timestamp without time zone",
                                                   "shipped_at timestamp with time zone",
                                                   "weight double precision",
                                                   "note text"};
  ASSERT_GE(types.size(), expected_types.size());
  EXPECT_EQ(std::vector<std::string>(types.begin(), types.begin() + 9), expected_types);

  const std::string select =
      "SELECT id, customer, amount, paid, ordered_on, ordered_at, "
      "shipped_at AT TIME ZONE 'UTC', weight, note FROM raw.orders";
  const std::vector<std::string> first = {
      "1|Smith, Jo|12.50|t|2024-01-31|2024-01-31 10:00:00|2024-01-31 10:00:00|1.5|say \"hi\"",
      "2|\xc3\x89mile|0.05|f|2024-02-29|2024-02-29 23:59:59.123456|2024-02-29 10:00:00|-2.25|"
      "line one\nline two",
      // Unquoted empty fields are NULL; the quoted "" is an empty string.
      "3|<NULL>|100.00|t|<NULL>|2024-03-01 00:00:00|<NULL>|<NULL>|",
      "4|Null Person|-7.10|f|1999-12-31|1999-12-31 23:59:59.5|2024-03-01 05:30:00|1000|plain"};
  EXPECT_EQ(dst_.SortedRows(select), first);

  // A second file, modified later: only it is read (the first is at the stored cursor).
  WriteCsv(dir_csv_ + "/orders_2.csv",
           header +
               "5,Zo\xc3\xab,99999999.99,false,2024-12-31,2024-12-31 23:59:59.999999,"
               "2024-12-31T23:59:59.999999Z,0.1,last\n",
           1700000100);
  r = Run(pipeline);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  s = r.Stream("public.orders");
  EXPECT_EQ(s["records_read"], 1) << s.dump();
  EXPECT_TRUE(Contains(s["cursor"].dump(), "2023-11-14T22:15:00.000000000Z orders_2.csv"))
      << s.dump();
  std::vector<std::string> all = first;
  all.push_back(
      "5|Zo\xc3\xab|99999999.99|f|2024-12-31|2024-12-31 23:59:59.999999|"
      "2024-12-31 23:59:59.999999|0.1|last");
  EXPECT_EQ(dst_.SortedRows(select), all);

  // Nothing new: nothing read, nothing duplicated.
  r = Run(pipeline);
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.Stream("public.orders")["records_read"], 0) << r.Describe();
  EXPECT_EQ(dst_.Count("raw.orders"), 5);
}

// A malformed row: on_data_error fail names the file and line (after a quoted newline, so
// lines are counted in the file, not in records); skip drops it and counts it.
TEST_F(CsvSdkTest, MalformedRowsFailOrSkip) {
  WriteCsv(dir_csv_ + "/bad_1.csv",
           "id,amount,day,note\n"
           "1,1.50,2024-01-01,\"two\nlines\"\n"
           "2,oops,2024-01-02,x\n"
           "3,3.00,2024-01-03\n"
           "4,4.00,2024-01-04,y\n",
           1700000000);
  const std::string columns = "[{name: amount, type: \"decimal(10,2)\"}, {name: day, type: date}]";
  // A config error the connector finds (not the schema) names the field.
  PipelineSpec spec;
  spec.name = "csv_config";
  spec.source_use = "source-csv";
  spec.source_config = "{directory: relative/dir, streams: [{name: bad, pattern: \"*.csv\"}]}";
  spec.streams = "    - name: bad\n";
  const CommandRun check = Cli({"check", WritePipeline(spec)});
  EXPECT_NE(check.exit_code, 0);
  EXPECT_TRUE(Contains(check.out + check.err, "directory: must be an absolute path"))
      << check.out << check.err;

  RunOutput r = Run(CsvPipeline("bad", "bad_*.csv", columns, ""));
  EXPECT_NE(r.exit_code(), 0) << r.Describe();
  ExpectStreamError(r, "public.bad", "MALFORMED_ROW",
                    "bad_1.csv line 4: column amount: 'oops' is not a decimal(10,2)", true);
  EXPECT_EQ(r.Stream("public.bad")["error"]["category"], "data") << r.Describe();

  r = Run(CsvPipeline("bad", "bad_*.csv", columns, "", "  on_data_error: skip\n"));
  ASSERT_EQ(r.exit_code(), 0) << r.Describe();
  const Json s = r.Stream("public.bad");
  EXPECT_EQ(s["status"], "completed") << s.dump();
  EXPECT_EQ(s["records_read"], 2) << s.dump();
  EXPECT_EQ(s["records_skipped"], 2) << s.dump();
  EXPECT_TRUE(Contains(r.cmd.err, "skipped bad_1.csv line 5: expected 4 fields, got 3"))
      << r.Describe();
  EXPECT_EQ(dst_.SortedRows("SELECT id, amount, day, note FROM raw.bad"),
            (std::vector<std::string>{"1|1.50|2024-01-01|two\nlines", "4|4.00|2024-01-04|y"}));
}

}  // namespace
}  // namespace rapidbyte::e2e
