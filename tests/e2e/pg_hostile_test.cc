// A hostile connector against the engine (SPEC §1.3, §4.9; issue "Hardening"): deeply nested
// JSON in every document a connector hands the host, connectors that spin in rb_validate,
// rb_discover or rb_close, and connectors that try to exhaust memory or disk through tables,
// metrics and connector state. Each must fail its own stream, check or discover with a typed
// error that names the limit, in bounded time and memory, and never crash or hang the engine.
// The source is test-hostile (connectors/testing/hostile_source.cc): the mode of rb_run_read is
// the last segment of the stream name, the modes of the other exports come from the config's
// `mode`; the destination is test-sink.
#include <filesystem>

#include "tests/e2e/e2e_fixture.h"

namespace rapidbyte::e2e {
namespace {

namespace fs = std::filesystem;

class HostileTest : public E2eTest {
 protected:
  RunOutput RunJsonLogs(const std::string& pipeline) {
    return Run(pipeline, {"--log-format", "json"});
  }
};

// `stream` failed once (no retry) in the Source stage with `code`, its message containing
// `needle`.
void ExpectStreamFailed(const RunOutput& r, const std::string& stream, const std::string& code,
                        const std::string& needle) {
  ExpectStreamError(r, stream, code, needle, /*substring=*/true);
}

const char* kTooDeep = "nested deeper than 64 levels (the limit for connector JSON)";

// Defect 1: ~200,000 levels of [[[...]]] in the run call's reply, an error's details, a
// checkpoint's cursor_value or a metric overflowed the host's stack (SIGSEGV, exit 139, the
// run row left `running`). Now each fails its own stream with a typed error naming the limit,
// the healthy neighbour completes, and the run is recorded as failed.
TEST_F(HostileTest, DeepJsonFromTheRunFailsItsStreamNotTheEngine) {
  const RunOutput r = RunJsonLogs(HostilePipeline(
      {"deep.deep_reply", "deep.deep_details", "deep.deep_cursor", "deep.deep_metric", "deep.ok"}));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  EXPECT_EQ(r.result["status"], "failed") << r.Describe();
  ExpectStreamFailed(r, "deep.deep_reply", "INVALID_RESPONSE", kTooDeep);
  ExpectStreamFailed(r, "deep.deep_details", "INVALID_RESPONSE", kTooDeep);
  ExpectStreamFailed(r, "deep.deep_cursor", "INVALID_CHECKPOINT", kTooDeep);
  ExpectStreamFailed(r, "deep.deep_metric", "INVALID_METRIC", kTooDeep);
  EXPECT_EQ(Probe(r, "deep.deep_cursor"), Json({{"checkpoint", "-1:INVALID_CHECKPOINT"}}));
  EXPECT_EQ(Probe(r, "deep.deep_metric"), Json({{"metric", "-1:INVALID_METRIC"}}));
  EXPECT_EQ(r.Stream("deep.ok")["status"], "completed") << r.Describe();
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs"), "failed\n");
}

// Defect 1 through rb_open (every stream's first call) and through `check` and `discover`.
TEST_F(HostileTest, DeepJsonFromOpenValidateAndDiscoverIsRejected) {
  const RunOutput run = RunJsonLogs(HostilePipeline({"deep.a"}, "{mode: deep_open}"));
  EXPECT_EQ(run.exit_code(), 1) << run.Describe();
  ExpectStreamFailed(run, "deep.a", "INVALID_RESPONSE", kTooDeep);
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs"), "failed\n");

  const CommandRun check = Cli({"check", HostilePipeline({"deep.a"}, "{mode: deep_validate}")});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_TRUE(Contains(check.out + check.err, kTooDeep)) << check.out << check.err;

  const CommandRun discover =
      Cli({"discover", HostilePipeline({"deep.a"}, "{mode: deep_discover}")});
  EXPECT_EQ(discover.exit_code, 1) << discover.out << discover.err;
  EXPECT_TRUE(Contains(discover.out + discover.err, kTooDeep)) << discover.out << discover.err;
}

// Defect 4: a connector spinning in rb_validate or rb_discover hung `check` and `discover`
// forever; now resources.timeout_seconds bounds every one-shot call, and the error says so.
TEST_F(HostileTest, SpinningValidateAndDiscoverTimeOut) {
  const std::string timeout = "  timeout_seconds: 2\n";
  const CommandRun check =
      Cli({"check", HostilePipeline({"spin.a"}, "{mode: spin_validate}", timeout)});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_TRUE(Contains(check.out + check.err,
                       "did not return from rb_validate within 2 s (resources.timeout_seconds)"))
      << check.out << check.err;
  EXPECT_LT(check.wall_secs, 30);

  const CommandRun discover =
      Cli({"discover", HostilePipeline({"spin.a"}, "{mode: spin_discover}", timeout)});
  EXPECT_EQ(discover.exit_code, 1) << discover.out << discover.err;
  EXPECT_TRUE(Contains(discover.out + discover.err,
                       "did not return from rb_discover within 2 s (resources.timeout_seconds)"))
      << discover.out << discover.err;
  EXPECT_LT(discover.wall_secs, 30);
}

// Defect 4: spinning in rb_close after a successful read hung `run` forever under the default
// timeout 0, and with a timeout the run was reported failed although its work was done. Now
// rb_close gets a short deadline, the connector is stopped, and the result stands.
TEST_F(HostileTest, SpinningCloseAfterASuccessfulReadIsStoppedAndTheResultStands) {
  const RunOutput r = RunJsonLogs(HostilePipeline({"close.a"}, "{mode: spin_close}"));
  EXPECT_EQ(r.exit_code(), 0) << r.Describe();
  EXPECT_EQ(r.Stream("close.a")["status"], "completed") << r.Describe();
  EXPECT_LT(r.cmd.wall_secs, 60);
  EXPECT_TRUE(Contains(r.cmd.err, "did not return from rb_close within 5 s")) << r.Describe();
  EXPECT_EQ(StateQuery("SELECT status FROM sync_runs"), "completed\n");

  const RunOutput timed =
      RunJsonLogs(HostilePipeline({"close.a"}, "{mode: spin_close}", "  timeout_seconds: 3\n"));
  EXPECT_EQ(timed.exit_code(), 0) << timed.Describe();
  EXPECT_EQ(timed.Stream("close.a")["status"], "completed") << timed.Describe();
}

// Defect 3: WebAssembly tables live outside linear memory and were not counted, so 32 tables
// grown by 2^24 externrefs each reached 4.2 GB under max_memory 64mb. Now table bytes count
// against resources.max_memory with the linear memory, and growth past it is refused.
TEST_F(HostileTest, TablesCountAgainstMaxMemory) {
  const RunOutput r =
      RunJsonLogs(HostilePipeline({"bomb.tablebomb"}, "{}", "  max_memory: 64mb\n"));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  ExpectStreamFailed(r, "bomb.tablebomb", "TABLE_GROW_REFUSED", "refused");
  const Json probe = Probe(r, "bomb.tablebomb");
  ASSERT_TRUE(probe.is_object()) << r.Describe();
  // 8 bytes an externref on the host: what was granted fits in the cap with the memory.
  EXPECT_LT(probe["granted"].get<std::uint64_t>() * 8, std::uint64_t{64} << 20) << probe.dump();
  EXPECT_GT(probe["refused"].get<int>(), 0) << probe.dump();
  ASSERT_TRUE(r.result["peak_rss_bytes"].is_number()) << r.Describe();
  EXPECT_LT(r.result["peak_rss_bytes"].get<std::int64_t>(), std::int64_t{1} << 30);
}

// Defect 3: every distinct metric name was kept (3,000 names of 1 MiB reached 9.3 GB). Now a
// metric holds at most 4 KiB, and a stream keeps at most 256 names.
TEST_F(HostileTest, MetricNamesAndSizesAreBounded) {
  const RunOutput r = RunJsonLogs(HostilePipeline({"bomb.metricbomb"}));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  ExpectStreamFailed(r, "bomb.metricbomb", "INVALID_METRIC", "at most 256 are kept");
  const Json probe = Probe(r, "bomb.metricbomb");
  ASSERT_TRUE(probe.is_object()) << r.Describe();
  EXPECT_LE(probe["accepted"].get<int>(), 256) << probe.dump();
  EXPECT_GE(probe["accepted"].get<int>(), 250) << probe.dump();
  EXPECT_EQ(probe["distinct"], "-1:INVALID_METRIC");
  EXPECT_EQ(probe["huge"], "-1:INVALID_METRIC");
}

// Defect 3: connector state had no quota (40 values of 16 MiB grew state.db to 640 MB in
// 10 s). Now a scope holds at most 64 MiB: the fifth 16 MiB value is refused.
TEST_F(HostileTest, ConnectorStateHasAQuota) {
  const RunOutput r = RunJsonLogs(HostilePipeline({"bomb.statebomb"}));
  EXPECT_EQ(r.exit_code(), 1) << r.Describe();
  ExpectStreamFailed(r, "bomb.statebomb", "STATE_QUOTA_EXCEEDED", "the quota is 64 MiB per scope");
  const Json probe = Probe(r, "bomb.statebomb");
  ASSERT_TRUE(probe.is_object()) << r.Describe();
  EXPECT_EQ(probe["stored"], 4) << probe.dump();
  EXPECT_EQ(probe["put"], "-1:STATE_QUOTA_EXCEEDED") << probe.dump();
  std::uintmax_t bytes = fs::file_size(StatePath());
  if (fs::exists(StatePath() + "-wal")) bytes += fs::file_size(StatePath() + "-wal");
  EXPECT_LT(bytes, std::uintmax_t{100} << 20);
}

}  // namespace
}  // namespace rapidbyte::e2e
