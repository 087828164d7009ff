// The human output of `rapidbyte run` (issue #22 item 4), PostgreSQL → PostgreSQL with the
// real binary: golden summaries (a success with two streams; a failure, its errors first),
// the internal timings only with --verbose, @@BENCH_JSON@@ only with --bench-json, the
// source's records_estimate metric, and live progress with a total and an ETA drawn in a
// real terminal (tmux).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

class PgOutputTest : public E2eTest {
 protected:
  // `rows` rows in the source's `events` and a destination table `raw_slow.events` whose row
  // trigger sleeps 2 ms: the run takes at least rows * 2 ms, the source reading ahead of
  // the destination. Returns the pipeline.
  std::string SlowEventsPipeline(int rows) {
    src_.Exec(
        "CREATE TABLE events (id int PRIMARY KEY, name text);"
        "INSERT INTO events SELECT i, 'event ' || i FROM generate_series(1, " +
        std::to_string(rows) + ") AS i; ANALYZE events");
    dst_.Exec(
        "CREATE SCHEMA raw_slow; CREATE TABLE raw_slow.events (id int, name text);"
        "CREATE FUNCTION raw_slow.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_sleep(0.002); RETURN NEW; END $$;"
        "CREATE TRIGGER slow BEFORE INSERT ON raw_slow.events FOR EACH ROW EXECUTE FUNCTION "
        "raw_slow.slow()");
    PipelineSpec spec;
    spec.name = "e2e_progress";
    spec.streams = "    - name: events\n";
    spec.dest_schema = "raw_slow";
    spec.source_extra = "max_batch_rows: 100";
    // Multi-row INSERTs as frames arrive: the destination takes the next frame only when the
    // trigger has run for the last (a COPY streams everything and waits at its end).
    spec.dest_extra = "load_method: insert";
    return WritePipeline(spec);
  }
};

// The output of a shell command (stdout; add 2>&1 for stderr in the order written).
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  pclose(pipe);
  return out;
}

// `rapidbyte <args>` with stderr and stdout in one text, in the order written, log lines
// (`<time> <LEVEL> ...`) left out: the order of the errors and the summary is under test.
std::string MergedWithoutLogs(const std::vector<std::string>& args) {
  std::string command = testing::RapidbyteBinary();
  for (const auto& arg : args) command += " '" + arg + "'";
  const std::string merged = Shell(command + " 2>&1");
  std::string out;
  std::istringstream lines(merged);
  const std::regex log_line("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z? [A-Z]+ .*");
  for (std::string line; std::getline(lines, line);) {
    if (!std::regex_match(line, log_line)) out += line + "\n";
  }
  return out;
}

// Durations, bytes, rates and the run id vary from run to run; a column is as wide as its
// widest value, so the spaces between cells become two. Everything else is the layout.
std::string Normalise(const std::string& text) {
  std::string out = std::regex_replace(text, std::regex("\\(run [0-9]+\\)"), "(run N)");
  out = std::regex_replace(out, std::regex("[0-9]+(\\.[0-9]+)? (B|KB|MB|GB)"), "<bytes>");
  out = std::regex_replace(out, std::regex("([0-9]+h)?([0-9]+m)?[0-9]+(\\.[0-9]+)?s +[0-9,]+\n"),
                           "<secs>  <rate>\n");
  return std::regex_replace(out, std::regex("([^ \n])  +"), "$1  ");
}

// The table's lines (after the headline, up to Total) all end in the right-aligned Rows/s
// column: they have one length.
void ExpectTableAligned(const std::string& summary) {
  std::istringstream lines(summary);
  std::string line;
  while (std::getline(lines, line) && line.rfind("Pipeline '", 0) != 0) {
  }
  std::size_t width = 0;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (width == 0) width = line.size();
    EXPECT_EQ(line.size(), width) << "misaligned table line '" << line << "' in\n" << summary;
    ++rows;
    if (line.rfind("  Total ", 0) == 0) break;
  }
  EXPECT_GE(rows, 3) << summary;
}

TEST_F(PgOutputTest, SuccessSummaryIsATableWithTotals) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.name = "e2e_output";
  spec.streams = "    - name: users\n    - name: orders\n";
  const CommandRun r = Cli({"run", WritePipeline(spec)});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Normalise(r.out),
            "Pipeline 'e2e_output' completed successfully (run N).\n"
            "  Stream  Status  Rows  Bytes  Duration  Rows/s\n"
            "  public.users  completed  3  <bytes>  <secs>  <rate>\n"
            "  public.orders  completed  3  <bytes>  <secs>  <rate>\n"
            "  Total  6  <bytes>  <secs>  <rate>\n")
      << r.out;
  ExpectTableAligned(r.out);
  EXPECT_FALSE(Contains(r.err, "Error:")) << r.err;
}

// A stream whose table does not exist fails; the others complete. Its error comes first
// (stderr, written before the summary), then the summary: the failed stream read nothing,
// so the columns are those of a success.
TEST_F(PgOutputTest, FailureSummaryComesAfterItsErrors) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.name = "e2e_output_fails";
  spec.streams = "    - name: users\n    - name: nosuch\n    - name: orders\n";
  const std::string p = WritePipeline(spec);
  const std::string merged = MergedWithoutLogs({"run", p});
  const std::string normalised = Normalise(merged);
  const std::size_t error_end = normalised.find('\n');
  ASSERT_NE(error_end, std::string::npos) << merged;
  EXPECT_TRUE(std::regex_match(normalised.substr(0, error_end),
                               std::regex("Error: stream public\\.nosuch: Source error: .*nosuch.*")))
      << merged;
  EXPECT_EQ(normalised.substr(error_end + 1),
            "Pipeline 'e2e_output_fails' failed (run N).\n"
            "  Stream  Status  Rows  Bytes  Duration  Rows/s\n"
            "  public.users  completed  3  <bytes>  <secs>  <rate>\n"
            "  public.nosuch  failed  0  <bytes>  <secs>  <rate>\n"
            "  public.orders  completed  3  <bytes>  <secs>  <rate>\n"
            "  Total  6  <bytes>  <secs>  <rate>\n")
      << merged;
  ExpectTableAligned(merged.substr(error_end + 1));
  const CommandRun r = Cli({"run", p});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST_F(PgOutputTest, VerboseAddsTimingsAndBenchJsonIsOnlyPrintedOnRequest) {
  CreateUsersAndOrders(src_);
  PipelineSpec spec;
  spec.streams = "    - name: users\n    - name: orders\n";
  const std::string p = WritePipeline(spec);
  const char* timings[] = {"  Records read:    6\n", "  Throughput:      ", "  Source duration:  ",
                           "    Connect:       ",    "    Query:         ", "    Fetch:         ",
                           "  Dest duration:   ",    "    VM setup:      ", "    Recv loop:     ",
                           "    Flush:         ",    "    Commit:        ", "    WASM overhead: ",
                           "  Source load:     ",    "  Dest load:       "};

  const CommandRun plain = Cli({"run", p});
  ASSERT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  for (const char* line : timings) EXPECT_FALSE(Contains(plain.out, line)) << line << plain.out;
  EXPECT_FALSE(Contains(plain.out, "@@BENCH_JSON@@")) << plain.out;

  const CommandRun verbose = Cli({"run", p, "--verbose"});
  ASSERT_EQ(verbose.exit_code, 0) << verbose.out << verbose.err;
  for (const char* line : timings) EXPECT_TRUE(Contains(verbose.out, line)) << line << verbose.out;
  EXPECT_FALSE(Contains(verbose.out, "@@BENCH_JSON@@")) << verbose.out;
  EXPECT_EQ(Normalise(verbose.out).rfind(Normalise(plain.out), 0), 0u)
      << "--verbose adds to the summary: " << verbose.out;

  const CommandRun bench = Cli({"run", p, "--bench-json"});
  ASSERT_EQ(bench.exit_code, 0) << bench.out << bench.err;
  for (const char* line : timings) EXPECT_FALSE(Contains(bench.out, line)) << line << bench.out;
  const std::size_t at = bench.out.rfind("\n@@BENCH_JSON@@");
  ASSERT_NE(at, std::string::npos) << bench.out;
  EXPECT_EQ(bench.out.find('\n', at + 1), bench.out.size() - 1) << "not the last line";
  const Json doc = Json::parse(bench.out.substr(at + 15), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << bench.out;
  EXPECT_EQ(doc["records_read"], 6);
  EXPECT_EQ(doc["streams"].size(), 2u);

  // A failed run has no @@BENCH_JSON@@ line, even when asked for.
  spec.streams = "    - name: nosuch\n";
  const CommandRun failed = Cli({"run", WritePipeline(spec), "--bench-json", "--verbose"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_FALSE(Contains(failed.out, "@@BENCH_JSON@@")) << failed.out;
  EXPECT_TRUE(Contains(failed.out, "  Source duration:  ")) << failed.out;
}

// records_estimate (SPEC §10.2) is the planner's row count for the exact read: the whole
// table on a full refresh and a first incremental run, the rows past the stored cursor on
// the next incremental run.
TEST_F(PgOutputTest, SourceReportsTheRowEstimateOfItsReadQuery) {
  src_.Exec(
      "CREATE TABLE items (id int PRIMARY KEY, name text);"
      "INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 1000) AS i;"
      "ANALYZE items");
  PipelineSpec full;
  full.name = "e2e_estimate_full";
  full.streams = "    - name: items\n";
  const RunOutput f = Run(WritePipeline(full));
  ASSERT_EQ(f.exit_code(), 0) << f.Describe();
  EXPECT_EQ(f.Stream("public.items")["metrics"]["source.records_estimate"], 1000)
      << f.Stream("public.items").dump();

  PipelineSpec inc;
  inc.name = "e2e_estimate_incremental";
  inc.dest_schema = "raw_inc";
  inc.streams = "    - name: items\n      sync_mode: incremental\n      cursor_field: id\n";
  const std::string p = WritePipeline(inc);
  const RunOutput first = Run(p);
  ASSERT_EQ(first.exit_code(), 0) << first.Describe();
  EXPECT_EQ(first.Stream("public.items")["metrics"]["source.records_estimate"], 1000);
  src_.Exec("INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1001, 1100) AS i");
  const RunOutput second = Run(p);
  ASSERT_EQ(second.exit_code(), 0) << second.Describe();
  const Json estimate = second.Stream("public.items")["metrics"]["source.records_estimate"];
  ASSERT_TRUE(estimate.is_number()) << second.Describe();
  // The planner finds the index's real maximum past the statistics: about 101 rows.
  EXPECT_GE(estimate.get<double>(), 1);
  EXPECT_LE(estimate.get<double>(), 400) << "the stored cursor did not narrow the estimate";
  EXPECT_EQ(second.result["records_read"], 100);  // 1001..1100; row 1000 was delivered before
}

// Live progress in a terminal: tmux runs `rapidbyte run` in a detached session while the
// destination is slowed by a row trigger, and the captured pane shows the source's total
// ("/ 4,000 rows") and an ETA.
TEST_F(PgOutputTest, ProgressInATerminalShowsTheTotalAndAnEta) {
  if (std::system("command -v tmux >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "tmux is not installed (scripts/setup.sh installs it)";
  }
  const std::string p = SlowEventsPipeline(4000);

  // stderr is the pane (a terminal: progress is drawn); stdout and the exit code go to files.
  const std::string script = dir_ + "/run.sh";
  const std::string done = dir_ + "/exit_code";
  testing::WriteFile(script, "HOME='" + home_ + "' '" + testing::RapidbyteBinary() + "' run '" +
                                 p + "' --log-level warn > '" + dir_ + "/out'\necho $? > '" +
                                 done + "'\nsleep 60\n");
  const std::string tmux = "tmux -L rb-e2e-output-" + std::to_string(getpid());
  ASSERT_EQ(std::system((tmux + " -f /dev/null new-session -d -x 200 -y 40 -s run 'sh " + script +
                         "'")
                            .c_str()),
            0);
  std::string with_total, with_eta, last;
  const std::regex total("[0-9,]+ / 4,000 rows");
  const std::regex eta("/ 4,000 rows +[0-9]+%  ETA [0-9]{2}:[0-9]{2}");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  while (!std::filesystem::exists(done) && std::chrono::steady_clock::now() < deadline) {
    last = Shell(tmux + " capture-pane -p -t run 2>/dev/null");
    if (with_total.empty() && std::regex_search(last, total)) with_total = last;
    if (with_eta.empty() && std::regex_search(last, eta)) with_eta = last;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string after = Shell(tmux + " capture-pane -p -t run 2>/dev/null");
  (void)std::system((tmux + " kill-server >/dev/null 2>&1").c_str());
  ASSERT_TRUE(std::filesystem::exists(done)) << "the run did not end; last pane:\n" << last;
  std::ifstream code(done);
  int exit_code = -1;
  code >> exit_code;
  EXPECT_EQ(exit_code, 0) << after;
  EXPECT_FALSE(with_total.empty()) << "no total in any capture; last pane:\n" << last;
  EXPECT_FALSE(with_eta.empty()) << "no ETA in any capture; last pane:\n" << last;
  EXPECT_TRUE(Contains(with_eta, "e2e_progress  ")) << with_eta;
  // The block is cleared at the end: the pane keeps no progress line.
  EXPECT_FALSE(std::regex_search(after, total)) << after;
  EXPECT_EQ(dst_.Count("raw_slow.events"), 4000);
}

// Without a terminal, every 10 s an info line per running stream, with the source's
// estimate and an ETA: 6,000 rows at 2 ms each run for more than 12 s.
TEST_F(PgOutputTest, ProgressLinesWithoutATerminalCarryTheEstimateAndEta) {
  const std::string p = SlowEventsPipeline(6000);
  const CommandRun r = Cli({"run", p});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("INFO progress stream=public\\.events rows_read=[0-9]+ rows_written=[0-9]+ "
                        "bytes_read=[0-9]+ rows_per_sec=[0-9]+ rows_estimate=6000 eta_secs=[0-9]+\n")))
      << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace rapidbyte::e2e
