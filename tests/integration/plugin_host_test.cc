// The plugin host through the real path: test connectors built with clang-19 for wasm32,
// translated by wasm2c, compiled to native shared objects and loaded with dlopen.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "abi/rapidbyte_abi.h"
#include "base/test_util.h"
#include "plugin/host_error.h"
#include "plugin/instance.h"
#include "plugin/module.h"

namespace rapidbyte::plugin {
namespace {

std::string ConnectorPath(const std::string& name) {
  return std::string(std::getenv("RB_BINARY_DIR")) + "/connectors/" + name + ".so";
}

std::shared_ptr<Module> LoadOrDie(const std::string& name) {
  auto module = Module::Load(ConnectorPath(name), name);
  EXPECT_TRUE(module.ok()) << module.status().ToString();
  return module.ok() ? *module : nullptr;
}

HostContext MakeHost(const std::string& id, HostContext::Role role) {
  HostContext host;
  host.connector_id = "rapidbyte/" + id;
  host.connector_version = "0.1.0";
  host.stage = role == HostContext::Role::kSource ? "source" : "destination";
  host.stream = "public.test";
  host.role = role;
  return host;
}

nlohmann::json ParseOk(const Result<std::string>& response) {
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok()) return nullptr;
  auto doc = nlohmann::json::parse(*response);
  EXPECT_EQ(doc["status"], "ok") << *response;
  return doc["data"];
}

// Run a source and a sink connected by a channel on two threads; return both responses.
struct PipelineOutcome {
  Result<std::string> source{Status::Internal("not run")};
  Result<std::string> sink{Status::Internal("not run")};
};

PipelineOutcome RunSequenceToSink(std::int64_t rows, std::int64_t batch_rows) {
  auto cancel = std::make_shared<CancellationToken>();
  FrameChannel channel(4, cancel);
  PipelineOutcome outcome;
  std::thread sink_thread([&] {
    HostContext host = MakeHost("test-collect", HostContext::Role::kDestination);
    host.input = &channel;
    host.cancel = cancel;
    auto instance = Instance::Create(LoadOrDie("test-collect"), std::move(host));
    if (!instance.ok()) {
      outcome.sink = instance.status();
      return;
    }
    outcome.sink = (*instance)->CallJson(Export::kRunWrite, "{}");
    if (!outcome.sink.ok()) channel.FailConsumer();
  });
  std::thread source_thread([&] {
    HostContext host = MakeHost("test-sequence", HostContext::Role::kSource);
    host.output = &channel;
    host.cancel = cancel;
    auto instance = Instance::Create(LoadOrDie("test-sequence"), std::move(host));
    if (!instance.ok()) {
      outcome.source = instance.status();
      channel.FailProducer();
      return;
    }
    outcome.source = (*instance)->CallJson(
        Export::kRunRead, "{\"rows\":" + std::to_string(rows) +
                              ",\"batch_rows\":" + std::to_string(batch_rows) + "}");
    if (outcome.source.ok()) {
      channel.Finish();
    } else {
      channel.FailProducer();
    }
  });
  source_thread.join();
  sink_thread.join();
  return outcome;
}

// Consumed frames go back to their channel for the producer's next frame: the buffer (and
// its pages) is reused, empty, and at most kMaxSpares are kept.
TEST(FrameChannelTest, ReturnedFramesAreReusedEmptyAndBounded) {
  FrameChannel channel(4, nullptr);
  EXPECT_EQ(channel.TakeSpare().capacity(), 0u);
  std::vector<const std::uint8_t*> buffers;
  for (std::size_t i = 0; i < FrameChannel::kMaxSpares + 1; ++i) {
    Frame frame(1 << 20, 0xab);
    buffers.push_back(frame.data());
    channel.ReturnSpare(std::move(frame));
  }
  channel.ReturnSpare(Frame());  // nothing to reuse: not kept
  for (std::size_t i = 0; i < FrameChannel::kMaxSpares; ++i) {
    Frame spare = channel.TakeSpare();
    EXPECT_TRUE(spare.empty());
    EXPECT_GE(spare.capacity(), std::size_t{1} << 20);
    EXPECT_NE(std::find(buffers.begin(), buffers.end(), spare.data()), buffers.end());
  }
  EXPECT_EQ(channel.TakeSpare().capacity(), 0u);  // the third was freed
}

TEST(PluginHostTest, OpenValidateCloseThroughTheJsonConvention) {
  auto instance = Instance::Create(LoadOrDie("test-sequence"),
                                   MakeHost("test-sequence", HostContext::Role::kSource));
  ASSERT_OK(instance.status());
  auto info = ParseOk((*instance)->CallJson(Export::kOpen, R"({"config":{"json":{}}})"));
  EXPECT_EQ(info["protocol_version"], "1");
  auto validation = ParseOk((*instance)->CallJson(Export::kValidate, "{}"));
  EXPECT_EQ(validation["status"], "success");
  ASSERT_OK_AND_ASSIGN(std::int32_t code, (*instance)->Close());
  EXPECT_EQ(code, 0);
}

TEST(PluginHostTest, MissingExportIsATypedError) {
  auto instance = Instance::Create(LoadOrDie("test-sequence"),
                                   MakeHost("test-sequence", HostContext::Role::kSource));
  ASSERT_OK(instance.status());
  auto r = (*instance)->CallJson(Export::kRunWrite, "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(HostErrorCode(r.status()), "MISSING_EXPORT");
}

TEST(PluginHostTest, SequenceSourceToCollectingSinkMovesEveryRow) {
  constexpr std::int64_t kRows = 100000;
  PipelineOutcome outcome = RunSequenceToSink(kRows, 1000);
  auto read = ParseOk(outcome.source);
  auto written = ParseOk(outcome.sink);
  EXPECT_EQ(read["records_read"], kRows);
  EXPECT_EQ(read["batches_emitted"], 100);
  EXPECT_EQ(written["records_written"], kRows);
  EXPECT_EQ(written["x_sum"], static_cast<std::uint64_t>(kRows) * (kRows - 1) / 2);
}

TEST(PluginHostTest, TwoSourcesAndTwoSinksOnFourThreads) {
  // Run under TSan in CI (label tsan): instances of the same modules on four threads.
  PipelineOutcome first;
  PipelineOutcome second;
  std::thread a([&] { first = RunSequenceToSink(50000, 500); });
  std::thread b([&] { second = RunSequenceToSink(30000, 700); });
  a.join();
  b.join();
  EXPECT_EQ(ParseOk(first.sink)["records_written"], 50000);
  EXPECT_EQ(ParseOk(second.sink)["records_written"], 30000);
  EXPECT_EQ(ParseOk(first.source)["records_read"], 50000);
  EXPECT_EQ(ParseOk(second.source)["records_read"], 30000);
}

TEST(PluginHostTest, IdentityTransformBetweenSourceAndSink) {
  auto cancel = std::make_shared<CancellationToken>();
  FrameChannel to_transform(2, cancel);
  FrameChannel to_sink(2, cancel);
  Result<std::string> source{Status::Internal("not run")};
  Result<std::string> transform{Status::Internal("not run")};
  Result<std::string> sink{Status::Internal("not run")};
  auto run_stage = [&](const std::string& name, HostContext::Role role, FrameChannel* in,
                       FrameChannel* out, Export which, const std::string& request,
                       Result<std::string>* result) {
    HostContext host = MakeHost(name, role);
    host.stage = role == HostContext::Role::kTransform ? "transform[0]" : host.stage;
    host.input = in;
    host.output = out;
    host.cancel = cancel;
    auto instance = Instance::Create(LoadOrDie(name), std::move(host));
    *result = instance.ok() ? (*instance)->CallJson(which, request) : instance.status();
    if (out != nullptr) {
      if (result->ok()) out->Finish(); else out->FailProducer();
    }
  };
  std::thread t1(run_stage, "test-collect", HostContext::Role::kDestination, &to_sink, nullptr,
                 Export::kRunWrite, "{}", &sink);
  std::thread t2(run_stage, "test-identity", HostContext::Role::kTransform, &to_transform,
                 &to_sink, Export::kRunTransform, "{}", &transform);
  std::thread t3(run_stage, "test-sequence", HostContext::Role::kSource, nullptr, &to_transform,
                 Export::kRunRead, R"({"rows":2500,"batch_rows":100})", &source);
  t1.join();
  t2.join();
  t3.join();
  EXPECT_EQ(ParseOk(transform)["batches_processed"], 25);
  EXPECT_EQ(ParseOk(sink)["records_written"], 2500);
  EXPECT_EQ(ParseOk(sink)["x_sum"], 2500u * 2499u / 2);
}

TEST(PluginHostTest, MetricsAndCheckpointsReachTheHost) {
  auto cancel = std::make_shared<CancellationToken>();
  FrameChannel channel(64, cancel);
  std::vector<nlohmann::json> metrics;
  std::vector<std::pair<int, nlohmann::json>> checkpoints;
  HostContext host = MakeHost("test-sequence", HostContext::Role::kSource);
  host.output = &channel;
  // The engine as far as this test needs it: it keeps what arrives.
  struct Recorder : rapidbyte::plugin::EngineLink {
    std::vector<nlohmann::json>* metrics;
    std::vector<std::pair<int, nlohmann::json>>* checkpoints;
    Status Metric(const nlohmann::json& doc) override {
      metrics->push_back(doc);
      return Status::OK();
    }
    Status Checkpoint(int kind, const nlohmann::json& doc) override {
      checkpoints->emplace_back(kind, doc);
      return Status::OK();
    }
  } recorder;
  recorder.metrics = &metrics;
  recorder.checkpoints = &checkpoints;
  host.engine = &recorder;
  auto instance = Instance::Create(LoadOrDie("test-sequence"), std::move(host));
  ASSERT_OK(instance.status());
  auto read = ParseOk((*instance)->CallJson(Export::kRunRead,
                                            R"({"rows":25,"batch_rows":10,"checkpoints":1})"));
  EXPECT_EQ(read["records_read"], 25);
  ASSERT_EQ(metrics.size(), 9u);  // three counters after each of three frames
  const nlohmann::json& last = metrics[6];
  EXPECT_EQ(last["payload"]["name"], "records_read");
  EXPECT_EQ(last["payload"]["value"]["counter"], 25);
  ASSERT_EQ(checkpoints.size(), 3u);
  EXPECT_EQ(checkpoints[2].first, RB_CHECKPOINT_SOURCE);
  const nlohmann::json& cp = checkpoints[2].second;
  EXPECT_EQ(cp["payload"]["cursor_value"]["int64"], 24);
  EXPECT_EQ(cp["connector_id"], "rapidbyte/test-sequence");
}

TEST(PluginHostTest, InstancesAreIndependent) {
  // Two instances of one module keep separate memories and state.
  auto module = LoadOrDie("test-sequence");
  auto a = Instance::Create(module, MakeHost("test-sequence", HostContext::Role::kSource));
  auto b = Instance::Create(module, MakeHost("test-sequence", HostContext::Role::kSource));
  ASSERT_OK(a.status());
  ASSERT_OK(b.status());
  EXPECT_NE((*a)->host().memory->data, (*b)->host().memory->data);
}

// The SDK's compression (sdk::host::Compress / Decompress over rb_host_compress /
// rb_host_decompress) from inside a translated connector: 3 MB, half text rows and half
// random, round-trips through every codec, and so does 1 MiB of one repeated row decompressed
// into an empty string (the SDK's first guess is too small and it retries with the size the
// host reports); empty input round-trips; corrupt input and a bad level come back as the
// host's error codes.
TEST(PluginHostTest, CompressionThroughTheSdkRoundTrips) {
  auto instance = Instance::Create(LoadOrDie("test-bench"),
                                   MakeHost("test-bench", HostContext::Role::kSource));
  ASSERT_OK(instance.status());
  auto result = ParseOk(
      (*instance)->CallJson(Export::kRunRead, R"({"mode":"codec","n":2,"size":3000000})"));
  for (const char* codec : {"zstd", "lz4", "snappy", "gzip"}) {
    EXPECT_EQ(result[codec]["round_trip"], true) << codec << ": " << result.dump();
    EXPECT_EQ(result[codec]["retry_round_trip"], true) << codec << ": " << result.dump();
    EXPECT_EQ(result[codec]["bytes"], 3000000);
    // The random half does not compress; the text half does.
    EXPECT_LT(result[codec]["compressed"].get<int>(), 1900000) << codec;
    EXPECT_GT(result[codec]["compressed"].get<int>(), 1500000) << codec;
  }
  EXPECT_EQ(result["empty_round_trips"], true);
  EXPECT_EQ(result["corrupt"], "DECOMPRESSION_FAILED");
  EXPECT_EQ(result["bad_level"], "INVALID_COMPRESSION_LEVEL");
}

// A call deadline stops a guest that spins and ignores cancellation (the watchdog thread
// force-stops the guest thread), names the limit, and leaves calls that return in time alone.
TEST(PluginHostTest, CallDeadlineStopsASpinningGuest) {
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer holds asynchronous signals until the thread calls an intercepted
  // function, which a spinning guest never does, so the stop signal would never land.
  GTEST_SKIP() << "forced stops of a spinning guest cannot be delivered under TSan";
#endif
  auto spinning = Instance::Create(LoadOrDie("test-hostile"),
                                   MakeHost("test-hostile", HostContext::Role::kSource));
  ASSERT_OK(spinning.status());
  (*spinning)->SetCallDeadline(std::chrono::milliseconds(300), "the test's limit");
  const auto start = std::chrono::steady_clock::now();
  auto r = (*spinning)->CallJson(Export::kRunRead, R"({"mode":"loop"})");
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(HostErrorCode(r.status()), "TIMEOUT");
  EXPECT_EQ(r.status().message(),
            "connector rapidbyte/test-hostile 0.1.0 did not return from rb_run_read within "
            "300 ms (the test's limit); it was stopped");
  EXPECT_TRUE((*spinning)->timed_out());
  EXPECT_TRUE((*spinning)->trapped());
  EXPECT_LT(secs, 10.0);

  auto quick = Instance::Create(LoadOrDie("test-hostile"),
                                MakeHost("test-hostile", HostContext::Role::kSource));
  ASSERT_OK(quick.status());
  (*quick)->SetCallDeadline(std::chrono::milliseconds(5000), "the test's limit");
  auto ok = (*quick)->CallJson(Export::kRunRead, R"({"mode":"ok"})");
  ASSERT_OK(ok.status());
  EXPECT_FALSE((*quick)->timed_out());
}

}  // namespace
}  // namespace rapidbyte::plugin
