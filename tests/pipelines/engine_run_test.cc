// `rapidbyte run` end to end with the engine's test connectors (SPEC §5): test-gen emits
// rows 1..N as Arrow IPC, test-sink commits what it received into its connector state (the
// stand-in for a destination table), test-transform sits between them. Every test runs the
// real binary and checks what was committed, the run's JSON result and the state file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/harness/rapidbyte_process.h"

namespace rapidbyte::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class EngineRunTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("rb-engine"); }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // A pipeline of test-gen → [transforms] → test-sink with the given YAML fragments.
  std::string Pipeline(const std::string& source_config, const std::string& streams,
                       const std::string& dest_config, const std::string& extra = "") {
    const std::string path = dir_ + "/pipeline.yaml";
    WriteFile(path, "version: \"1.0\"\npipeline: engine_test\nsource:\n  use: test-gen\n  config: " +
                        source_config + "\n  streams:\n" + streams +
                        "destination:\n  use: test-sink\n  config: " + dest_config +
                        "\nstate:\n  connection: " + dir_ + "/state.db\n" + extra);
    return path;
  }

  CommandRun Run(const std::string& pipeline, const CommandOptions& options = {}) {
    return RunRapidbyte({"run", pipeline, "--output", "json"}, options);
  }

  // The sink's commit record for `stream`: {"rows", "sum", "max_id", "token"}, or null.
  json Committed(const std::string& stream) {
    sqlite3* db = nullptr;
    json out = nullptr;
    if (sqlite3_open_v2((dir_ + "/state.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      return out;
    }
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT value FROM connector_state WHERE pipeline='engine_test' AND "
                       "scope='stream' AND scope_key=?1 AND key='committed'",
                       -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, stream.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
      out = json::parse(std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0))));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  std::string Query(const std::string& sql) {
    sqlite3* db = nullptr;
    std::string out;
    sqlite3_open_v2((dir_ + "/state.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_exec(
        db, sql.c_str(),
        [](void* acc, int n, char** values, char**) {
          auto* s = static_cast<std::string*>(acc);
          for (int i = 0; i < n; ++i) *s += std::string(values[i] ? values[i] : "NULL") + (i + 1 < n ? "|" : "\n");
          return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
  }

  static std::int64_t Sum(std::int64_t from, std::int64_t to) { return (from + to) * (to - from + 1) / 2; }

  std::string dir_;
};

const char* kOneStream = "    - name: public.items\n";

TEST_F(EngineRunTest, MovesEveryRowAndReportsTheResult) {
  const std::string p = Pipeline("{rows: 1000, batch_rows: 100}", kOneStream, "{}");
  const CommandRun r = Run(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = json::parse(r.out);
  EXPECT_EQ(result["status"], "completed");
  EXPECT_EQ(result["records_read"], 1000);
  EXPECT_EQ(result["records_written"], 1000);
  EXPECT_GT(result["bytes_read"].get<std::int64_t>(), 8000);
  EXPECT_EQ(result["streams"][0]["batches_emitted"], 10);
  EXPECT_EQ(result["streams"][0]["attempts"], 1);
  EXPECT_GT(result["source_fetch_secs"].get<double>(), 0);
  // Connector metrics, the latest value per stage and name (SPEC §10.2).
  const json& metrics = result["streams"][0]["metrics"];
  EXPECT_EQ(metrics["source.records_read"], 1000) << metrics.dump();
  EXPECT_EQ(metrics["source.batches_emitted"], 10) << metrics.dump();
  EXPECT_EQ(metrics["destination.records_written"], 1000) << metrics.dump();
  const json c = Committed("public.items");
  EXPECT_EQ(c["rows"], 1000);
  EXPECT_EQ(c["sum"], Sum(1, 1000));
  EXPECT_EQ(Query("SELECT status, records_read, records_written FROM sync_runs"), "completed|1000|1000\n");
  EXPECT_EQ(Query("SELECT stream, status, attempts FROM sync_run_streams"), "public.items|completed|1\n");
}

TEST_F(EngineRunTest, HumanOutputHasTheSummaryAndBenchJson) {
  const std::string p = Pipeline("{rows: 50, batch_rows: 10}", kOneStream, "{}");
  const CommandRun r = RunRapidbyte({"run", p, "--verbose", "--bench-json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* line : {"Pipeline 'engine_test' completed successfully (run 1).\n",
                           "  public.items  completed    50", "  Records read:    50\n",
                           "  Records written: 50\n", "    Connect:       ", "    Recv loop:     "}) {
    EXPECT_TRUE(Contains(r.out, line)) << "missing '" << line << "' in\n" << r.out;
  }
  const std::size_t at = r.out.rfind("@@BENCH_JSON@@");
  ASSERT_NE(at, std::string::npos) << r.out;
  const json bench = json::parse(r.out.substr(at + 14));
  for (const char* key : {"records_read", "source_connect_secs", "source_query_secs", "source_fetch_secs",
                          "dest_duration_secs", "wasm_overhead_secs", "peak_rss_bytes", "cpu_secs"}) {
    EXPECT_TRUE(bench.contains(key)) << key;
  }
  EXPECT_EQ(bench["records_read"], 50);
  EXPECT_GT(bench["source_fetch_secs"].get<double>(), 0);
  EXPECT_TRUE(Contains(r.err, "Pipeline run started")) << r.err;

  // By default: the table only, no timings and no @@BENCH_JSON@@ line.
  const CommandRun plain = RunRapidbyte({"run", p});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(Contains(plain.out, "@@BENCH_JSON@@")) << plain.out;
  EXPECT_FALSE(Contains(plain.out, "Recv loop")) << plain.out;
}

// The human summaries against golden files (SPEC §3.2), numbers masked and runs of spaces
// made two (a column's width follows its widest number): labels, order, columns and units
// are part of the interface. run_human.txt is the default summary, run_human_verbose.txt
// the one of --verbose.
TEST_F(EngineRunTest, HumanOutputMatchesTheGoldenFile) {
  const std::string p = Pipeline("{rows: 50, batch_rows: 10}", "    - name: public.items\n    - name: other\n",
                                 "{}", "resources:\n  compression: zstd\n");
  for (const bool verbose : {false, true}) {
    SCOPED_TRACE(verbose);
    std::vector<std::string> args = {"run", p};
    if (verbose) args.push_back("--verbose");
    const CommandRun r = RunRapidbyte(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string masked =
        std::regex_replace(std::regex_replace(r.out, std::regex("[0-9][0-9,]*(\\.[0-9]+)?"), "N"),
                           std::regex("([^ \n])  +"), "$1  ");
    const std::string name = verbose ? "run_human_verbose.txt" : "run_human.txt";
    const std::string golden_path = std::string(std::getenv("RB_SOURCE_DIR")) + "/tests/pipelines/golden/" + name;
    std::ifstream in(golden_path);
    std::stringstream golden;
    golden << in.rdbuf();
    if (masked != golden.str()) {
      const std::string actual = std::string(std::getenv("RB_BINARY_DIR")) + "/" + name + ".actual";
      std::ofstream(actual) << masked;
      ADD_FAILURE() << "update " << golden_path << " from " << actual << " if the change is intended:\n"
                    << masked;
    }
  }
}

TEST_F(EngineRunTest, ParallelStreamsMoveExactlyTheirRows) {
  std::string streams;
  for (int i = 0; i < 4; ++i) streams += "    - name: public.s" + std::to_string(i) + "\n";
  for (int parallelism : {1, 4}) {
    SCOPED_TRACE(parallelism);
    std::filesystem::remove(dir_ + "/state.db");
    const std::string p = Pipeline("{rows: 2000, batch_rows: 100}", streams, "{commit_every_frames: 3}",
                                   "resources:\n  parallelism: " + std::to_string(parallelism) + "\n");
    const CommandRun r = Run(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["records_written"], 8000);
    for (int i = 0; i < 4; ++i) {
      const json c = Committed("public.s" + std::to_string(i));
      EXPECT_EQ(c["rows"], 2000);
      EXPECT_EQ(c["sum"], Sum(1, 2000));
    }
  }
}

TEST_F(EngineRunTest, CompressedChannelsMoveTheSameRows) {
  for (const char* codec : {"lz4", "zstd"}) {
    SCOPED_TRACE(codec);
    std::filesystem::remove(dir_ + "/state.db");
    const std::string p = Pipeline("{rows: 5000, batch_rows: 500}", kOneStream, "{}",
                                   std::string("resources:\n  compression: ") + codec + "\n");
    const CommandRun r = Run(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json result = json::parse(r.out);
    EXPECT_EQ(result["compression"], codec);
    EXPECT_GT(result["compressed_bytes"].get<std::int64_t>(), 0);
    EXPECT_LT(result["compressed_bytes"].get<std::int64_t>(), result["uncompressed_bytes"].get<std::int64_t>());
    EXPECT_EQ(result["uncompressed_bytes"], result["bytes_read"]);
    EXPECT_EQ(Committed("public.items")["sum"], Sum(1, 5000));
  }
}

TEST_F(EngineRunTest, SlowSinkWithTwoInflightBatchesStillMovesEverything) {
  const std::string p = Pipeline("{rows: 600, batch_rows: 20}", kOneStream, "{slow_ms: 5}",
                                 "resources:\n  max_inflight_batches: 2\n");
  const CommandRun r = Run(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = json::parse(r.out);
  EXPECT_EQ(result["records_written"], 600);
  // Backpressure: the source waited for the sink, so its stage lasted about as long.
  EXPECT_GT(result["source_duration_secs"].get<double>(), 0.1);
}

TEST_F(EngineRunTest, RetryableSinkFailureIsRetriedAndTheDataIsExact) {
  const std::string p = Pipeline("{rows: 300, batch_rows: 50}", kOneStream, "{fail_attempts: 2}");
  const CommandRun r = Run(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json result = json::parse(r.out);
  EXPECT_EQ(result["retries"], 2);
  EXPECT_EQ(result["streams"][0]["attempts"], 3);
  EXPECT_EQ(Committed("public.items")["rows"], 300);
  EXPECT_TRUE(Contains(r.err, "Retryable error, will retry")) << r.err;
}

TEST_F(EngineRunTest, RetriesAreBoundedByMaxRetries) {
  const std::string p = Pipeline("{rows: 100}", kOneStream, "{fail_attempts: 5}",
                                 "resources:\n  max_retries: 1\n");
  const CommandRun r = Run(p);
  EXPECT_EQ(r.exit_code, 1);
  const json result = json::parse(r.out);
  EXPECT_EQ(result["status"], "failed");
  EXPECT_EQ(result["streams"][0]["attempts"], 2);
  EXPECT_EQ(result["error"]["code"], "TEST_SINK_FAILURE");
  EXPECT_TRUE(Contains(r.err, "Max retries exhausted, failing pipeline")) << r.err;
  EXPECT_TRUE(Contains(r.err, "stream public.items: Destination error: [transient_db/stream] TEST_SINK_FAILURE")) << r.err;
  EXPECT_EQ(Query("SELECT status FROM sync_runs"), "failed\n");
}

TEST_F(EngineRunTest, UnknownCommitOutcomeIsNotRetriedWithoutExactlyOnce) {
  const std::string p = Pipeline("{rows: 100}", kOneStream, "{commit_unknown_attempts: 1}");
  const CommandRun r = Run(p);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, "The outcome of the last commit of stream public.items is unknown")) << r.err;
  EXPECT_TRUE(Contains(r.err, "Commit outcome unknown; not retrying")) << r.err;
  EXPECT_EQ(json::parse(r.out)["streams"][0]["attempts"], 1);
}

TEST_F(EngineRunTest, UnknownCommitOutcomeWithExactlyOnceRetriesWithoutDuplicates) {
  const std::string p =
      Pipeline("{rows: 100, batch_rows: 10}", kOneStream, "{commit_unknown_attempts: 1, exactly_once: true}");
  const CommandRun r = Run(p);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["streams"][0]["attempts"], 2);
  // The second attempt saw the final commit token of this run and wrote nothing again.
  const json c = Committed("public.items");
  EXPECT_EQ(c["rows"], 100);
  EXPECT_EQ(c["token"]["final"], true);
  EXPECT_TRUE(Contains(r.err, "Retryable error with commit_state, will retry")) << r.err;
}

TEST_F(EngineRunTest, SourceFailingMidStreamCommitsNothing) {
  const std::string p =
      Pipeline("{rows: 1000, batch_rows: 10, fail_after_frames: 5, fail_category: data}", kOneStream, "{}");
  const CommandRun r = Run(p);
  EXPECT_EQ(r.exit_code, 1);
  const json result = json::parse(r.out);
  EXPECT_EQ(result["error"]["stage"], "Source");
  EXPECT_EQ(result["error"]["code"], "TEST_FAILURE");
  EXPECT_EQ(result["records_written"], 0);
  EXPECT_TRUE(Committed("public.items").is_null());
  // The destination's UPSTREAM_FAILED is a consequence, never the reported cause.
  EXPECT_FALSE(Contains(r.err, "Destination error")) << r.err;
}

TEST_F(EngineRunTest, IncrementalRunsResumeFromTheCommittedCursor) {
  const char* streams = "    - name: public.events\n      sync_mode: incremental\n      cursor_field: id\n";
  CommandRun first = Run(Pipeline("{rows: 500, batch_rows: 100}", streams, "{commit_every_frames: 2}"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(json::parse(first.out)["streams"][0]["cursor"]["value"]["int64"], 500);
  CommandRun again = Run(Pipeline("{rows: 500, batch_rows: 100}", streams, "{commit_every_frames: 2}"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["records_read"], 0);
  CommandRun more = Run(Pipeline("{rows: 800, batch_rows: 100}", streams, "{commit_every_frames: 2}"));
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_EQ(json::parse(more.out)["records_read"], 300);
  const json c = Committed("public.events");
  EXPECT_EQ(c["rows"], 800);
  EXPECT_EQ(c["sum"], Sum(1, 800));
  EXPECT_EQ(Query("SELECT cursor_field, cursor_value FROM sync_cursors WHERE stream='public.events'"),
            "id|{\"int64\":800}\n");
}

TEST_F(EngineRunTest, InterruptedIncrementalLoadResumesAfterTheLastCommit) {
  const char* streams = "    - name: public.events\n      sync_mode: incremental\n      cursor_field: id\n";
  // Commits every 2 frames of 10 rows; the sink fails for good after 7 frames, so rows
  // 1..60 are committed and the cursor must stand at 60, not at what the source read.
  CommandRun failed =
      Run(Pipeline("{rows: 200, batch_rows: 10}", streams, "{commit_every_frames: 2, fail_after_frames: 7}"));
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(Committed("public.events")["rows"], 60);
  EXPECT_EQ(Query("SELECT cursor_value FROM sync_cursors"), "{\"int64\":60}\n");
  CommandRun resumed = Run(Pipeline("{rows: 200, batch_rows: 10}", streams, "{commit_every_frames: 2}"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(json::parse(resumed.out)["records_read"], 140);
  const json c = Committed("public.events");
  EXPECT_EQ(c["rows"], 200);  // no row lost, none repeated
  EXPECT_EQ(c["sum"], Sum(1, 200));
}

TEST_F(EngineRunTest, TransformsAddAndDropColumns) {
  for (const char* mode : {"identity", "add_column", "drop_column"}) {
    SCOPED_TRACE(mode);
    std::filesystem::remove(dir_ + "/state.db");
    const std::string p = Pipeline("{rows: 200, batch_rows: 50}", kOneStream, "{}",
                                   std::string("transforms:\n  - use: test-transform\n    config: {mode: ") + mode +
                                       "}\n  - use: test-transform\n");
    const CommandRun r = Run(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json result = json::parse(r.out);
    EXPECT_EQ(result["transform_count"], 2);
    EXPECT_EQ(Committed("public.items")["sum"], Sum(1, 200));
  }
}

TEST_F(EngineRunTest, FailingOrTrappingTransformFailsTheStream) {
  const std::string fail = Pipeline("{rows: 200, batch_rows: 10}", kOneStream, "{}",
                                    "transforms:\n  - use: test-transform\n    config: {fail_after_frames: 3}\n");
  CommandRun r = Run(fail);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(json::parse(r.out)["error"]["stage"], "Transform[0]");
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "TRANSFORM_FAILED");
  EXPECT_TRUE(Committed("public.items").is_null());

  const std::string trap = Pipeline("{rows: 200, batch_rows: 10}", kOneStream, "{}",
                                    "transforms:\n  - use: test-transform\n    config: {trap_after_frames: 2}\n");
  r = Run(trap);
  EXPECT_EQ(r.exit_code, 1);
  const json result = json::parse(r.out);
  EXPECT_EQ(result["error"]["code"], "CONNECTOR_TRAPPED");
  EXPECT_EQ(result["streams"][0]["attempts"], 1);  // traps are never retried
}

// Ctrl-C exits 130 (128 + SIGINT, what shells report for a process a signal ended), so a
// script can tell an interrupted run from a failed one (1).
TEST_F(EngineRunTest, SigintEndsTheRunCleanlyAsCancelled) {
  const std::string p = Pipeline("{rows: 100000, batch_rows: 10, slow_ms: 50}", kOneStream, "{}");
  CommandOptions options;
  std::chrono::steady_clock::time_point signalled;
  options.while_running = [&](int pid) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    signalled = std::chrono::steady_clock::now();
    kill(pid, SIGINT);
  };
  const CommandRun r = Run(p, options);
  const double after_signal =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_LT(after_signal, 2.0);
  const json result = json::parse(r.out);
  EXPECT_EQ(result["status"], "cancelled");
  EXPECT_EQ(result["streams"][0]["status"], "cancelled");
  EXPECT_EQ(Query("SELECT status FROM sync_runs"), "cancelled\n");
  EXPECT_TRUE(Committed("public.items").is_null());
}

TEST_F(EngineRunTest, SecondRunOfTheSamePipelineIsRefusedWhileOneRuns) {
  const std::string p = Pipeline("{rows: 200, batch_rows: 10, slow_ms: 50}", kOneStream, "{}");
  CommandRun second;
  CommandOptions options;
  options.while_running = [&](int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    second = Run(p);
  };
  const CommandRun first = Run(p, options);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_TRUE(Contains(second.err, "Pipeline 'engine_test' is already running (run #1")) << second.err;
}

TEST_F(EngineRunTest, ChangedCursorFieldFailsTheStreamWithAdvice) {
  const char* by_id = "    - name: public.events\n      sync_mode: incremental\n      cursor_field: id\n";
  ASSERT_EQ(Run(Pipeline("{rows: 10}", by_id, "{}")).exit_code, 0);
  const char* by_value = "    - name: public.events\n      sync_mode: incremental\n      cursor_field: value\n";
  const CommandRun r = Run(Pipeline("{rows: 10}", by_value, "{}"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, "cursor_field changed from 'id' to 'value' since the last run")) << r.err;
}

// A run that exceeds resources.timeout_seconds reports the timeout once: the final error
// line, not also a log line from the watch that cancelled it.
TEST_F(EngineRunTest, TimeoutIsReportedOnce) {
  const std::string p = Pipeline("{rows: 100000, batch_rows: 10, slow_ms: 50}", kOneStream, "{}",
                                 "resources:\n  timeout_seconds: 1\n  cancel_grace_seconds: 1\n");
  const CommandRun r = RunRapidbyte({"run", p, "--no-progress"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string timeout = "exceeded resources.timeout_seconds (1 s)";
  std::size_t count = 0;
  for (std::size_t at = r.err.find(timeout); at != std::string::npos;
       at = r.err.find(timeout, at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << r.err;
  EXPECT_TRUE(Contains(r.err, "Error: stream public.items: ")) << r.err;
  EXPECT_TRUE(Contains(r.err, " TIMEOUT (fatal): run " + timeout + "\n")) << r.err;
}

// `state show` durations come from timestamps with milliseconds: a run of about 0.6 s shows
// about 0.6 s (whole-second timestamps made it 0.00s or 1.00s).
TEST_F(EngineRunTest, StateShowDurationHasSubSecondPrecision) {
  const std::string p = Pipeline("{rows: 5, batch_rows: 1, slow_ms: 100}", kOneStream, "{}");
  const CommandRun run = Run(p);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const double run_secs = json::parse(run.out)["duration_secs"].get<double>();
  const CommandRun show = RunRapidbyte({"state", "show", p, "--output", "json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const json runs = json::parse(show.out)["runs"];
  ASSERT_EQ(runs.size(), 1u) << show.out;
  const std::string started = runs[0]["started_at"].get<std::string>();
  EXPECT_TRUE(std::regex_match(started, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << started;
  const double secs = runs[0]["duration_secs"].get<double>();
  EXPECT_GE(secs, 0.5) << show.out;  // five frames, 100 ms apart
  EXPECT_LE(secs, run_secs + 0.05) << show.out << " run: " << run_secs;
  EXPECT_LT(run_secs - secs, 0.25) << show.out << " run: " << run_secs;
  const CommandRun human = RunRapidbyte({"state", "show", p});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  char shown[32];
  std::snprintf(shown, sizeof(shown), "  %.2fs  5 read, 5 written", secs);
  EXPECT_TRUE(Contains(human.out, shown)) << human.out;
}

// `state reset --stream` takes a stream's name as the file writes it ("items") or qualified
// ("public.events"), like `run`, and resets only that stream; a name that is not a stream is
// exit 2 listing the pipeline's streams, with nothing removed.
TEST_F(EngineRunTest, StateResetResolvesStreamNamesLikeRun) {
  const std::string p =
      Pipeline("{rows: 10}", "    - name: items\n    - name: public.events\n", "{}");
  ASSERT_EQ(Run(p).exit_code, 0);
  ASSERT_FALSE(Committed("public.items").is_null());
  ASSERT_FALSE(Committed("public.events").is_null());

  const CommandRun unknown = RunRapidbyte({"state", "reset", p, "--stream", "itemz"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err,
            "Error: --stream: 'itemz' is not a stream of pipeline 'engine_test' (its streams: "
            "public.items, public.events); did you mean 'items'?\n");
  EXPECT_FALSE(Committed("public.items").is_null());

  const CommandRun items = RunRapidbyte({"state", "reset", p, "--stream", "items"});
  ASSERT_EQ(items.exit_code, 0) << items.err;
  EXPECT_EQ(items.out.rfind("Reset state of stream 'public.items' of pipeline 'engine_test': "
                            "1 cursor, ",
                            0),
            0u)
      << items.out;
  EXPECT_TRUE(Committed("public.items").is_null());
  EXPECT_FALSE(Committed("public.events").is_null());

  const CommandRun events = RunRapidbyte({"state", "reset", p, "--stream", "public.events"});
  ASSERT_EQ(events.exit_code, 0) << events.err;
  EXPECT_TRUE(Committed("public.events").is_null());
}

// test-hostile's manifest grants the directory its config names under `dir` (writable,
// created, within /tmp: permissions.fs.config_path). Its stream `files.<mode>` runs a file
// probe of hostile_probes.h on `path` or `script`.
std::string HostileFilesPipeline(const std::string& dir, const std::string& stream,
                                 const std::string& config) {
  const std::string path = dir + "/files.yaml";
  WriteFile(path, "version: \"1.0\"\npipeline: engine_files\nsource:\n  use: test-hostile\n"
                  "  config: " + config + "\n  streams:\n    - name: files." + stream +
                  "\ndestination:\n  use: test-sink\n  write_mode: append\nstate:\n"
                  "  connection: " + dir + "/state.db\n");
  return path;
}

// The run creates the configured directory (with its parents) before the connector starts,
// and the connector writes, renames and removes beneath it: the preopen is writable.
TEST_F(EngineRunTest, ConfigPathDirectoryIsCreatedAndWritable) {
  const std::string granted = dir_ + "/granted/a/b";
  const std::string script = "create " + granted + "/t;rename " + granted + "/t " + granted +
                             "/f;mkdir " + granted + "/d;rmdir " + granted + "/d;fsyncdir " +
                             granted;
  const CommandRun r = Run(
      HostileFilesPipeline(dir_, "fs", "{dir: \"" + granted + "\", script: \"" + script + "\"}"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ifstream in(granted + "/f");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "payload");
  EXPECT_FALSE(std::filesystem::exists(granted + "/t"));
  EXPECT_FALSE(std::filesystem::exists(granted + "/d"));
}

// A configured directory outside the manifest's `within`, or a relative one, is a config
// error of `run` (exit 2) before anything runs; nothing is created.
TEST_F(EngineRunTest, ConfigPathOutsideItsDirectoriesFailsValidation) {
  const CommandRun outside =
      Run(HostileFilesPipeline(dir_, "writefile", "{dir: /etc/rb-engine-test/out}"));
  EXPECT_EQ(outside.exit_code, 2) << outside.out << outside.err;
  EXPECT_TRUE(Contains(outside.err, "Pipeline validation failed (1 problem) in files.yaml:\n"
                                    "  - source.config.dir: /etc/rb-engine-test/out is outside "
                                    "the directories rapidbyte/test-hostile may write (/tmp)\n"))
      << outside.err;
  EXPECT_FALSE(std::filesystem::exists("/etc/rb-engine-test"));

  const CommandRun escape = Run(HostileFilesPipeline(dir_, "writefile", "{dir: /tmp/../etc/x}"));
  EXPECT_EQ(escape.exit_code, 2) << escape.out << escape.err;
  EXPECT_TRUE(Contains(escape.err, "source.config.dir: /tmp/../etc/x is outside the "
                                   "directories rapidbyte/test-hostile may write (/tmp)"))
      << escape.err;

  const CommandRun relative = Run(HostileFilesPipeline(dir_, "writefile", "{dir: out/lake}"));
  EXPECT_EQ(relative.exit_code, 2) << relative.out << relative.err;
  EXPECT_TRUE(Contains(relative.err, "source.config.dir: 'out/lake' is not an absolute path "
                                     "(rapidbyte/test-hostile may write beneath /tmp)"))
      << relative.err;

  // A URL is not a local path: it grants nothing and is no error.
  const CommandRun url =
      Run(HostileFilesPipeline(dir_, "ok", "{dir: \"s3://bucket/prefix\"}"));
  EXPECT_EQ(url.exit_code, 0) << url.out << url.err;
}

// A directory that cannot be created fails the run (exit 1) before the connector starts,
// naming the field, the path and the reason.
TEST_F(EngineRunTest, ConfigPathThatCannotBeCreatedFailsTheRun) {
  WriteFile(dir_ + "/file.txt", "not a directory");
  const std::string granted = dir_ + "/file.txt/out";
  const CommandRun r = Run(HostileFilesPipeline(dir_, "ok", "{dir: \"" + granted + "\"}"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const json result = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(result.is_object()) << r.out;
  EXPECT_EQ(result["status"], "failed");
  EXPECT_EQ(result["error"]["message"],
            "source.config.dir: could not create the directory " + granted + ": Not a directory")
      << r.out;
}

}  // namespace
}  // namespace rapidbyte::testing
