// test-sink: the engine's test destination. Reads Arrow IPC frames (fully validated), and
// "commits" what it received into its stream-scope connector state as one JSON record
// {"rows", "sum", "max_id", "token"}: data and commit record in one durable write, like a
// database transaction. Tests read that record to check exactly what was committed.
// Config: slow_ms (sleep per frame), commit_every_frames (0: one commit at the end),
// fail_attempts (fail retryably while StreamContext.attempt <= it; fail_delay_ms first holds
// the first frame that long, so the upstream fills its channel and blocks), fail_after_frames,
// commit_unknown_attempts (while attempt <= it, the final commit is written but its "reply is
// lost": no destination checkpoint, and the attempt reports after_commit_unknown),
// exactly_once (declare the feature and use commit tokens).
#include <cstring>
#include <string>
#include <vector>

#include "arrow/array.h"
#include "arrow/ipc/reader.h"
#include "connectors/testing/test_config.h"
#include "sdk/exports.h"

namespace sdk = rb::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace arrow = rapidbyte::arrow;
using rapidbyte::protocol::BackoffClass;
using rapidbyte::protocol::CommitState;
using rapidbyte::protocol::ErrorScope;
using sdk::Json;

namespace {

// The sink's errors are all stream-scoped with fast backoff, so the engine tests that retry
// it stay quick.
sdk::ConnectorError SinkError(sdk::ConnectorError e) {
  e.scope = ErrorScope::kStream;
  e.backoff_class = BackoffClass::kFast;
  return e;
}

struct Totals {
  std::int64_t rows = 0, sum = 0, max_id = 0;
};

class TestSink final : public sdk::Destination {
 public:
  TestSink() { set_connector_id("rapidbyte/test-sink"); }

  sdk::Outcome<sdk::OpenInfo> Open(const Json& config) override {
    sdk::OpenInfo info;
    if (tc::JsonBool(config, "exactly_once")) info.features.push_back("exactly_once");
    return info;
  }

  sdk::Outcome<Json> Write(const sdk::StreamContext& context) override {
    auto written = WriteFrames(context);
    if (!written.ok()) return SinkError(written.error());
    return written;
  }

 private:
  sdk::Outcome<Json> WriteFrames(const sdk::StreamContext& context);
  sdk::Outcome<void> Commit(bool final_commit);

  // The commit record: what earlier runs and attempts committed.
  Json record_ = {{"rows", 0}, {"sum", 0}, {"max_id", 0}, {"token", nullptr}};
  bool exactly_once_ = false;
  // Like a COMMIT whose reply never arrived: durable, but the sink cannot confirm it.
  bool final_reply_lost_ = false;
  Totals pending_;
  Totals written_;
  std::int64_t since_commit_ = 0, bytes_ = 0, checkpoints_ = 0;
};

sdk::Outcome<void> TestSink::Commit(bool final_commit) {
  Json token = nullptr;
  if (exactly_once_) {
    auto text = CommitToken();
    if (!text.ok()) return sdk::Rewrap(text.error(), "COMMIT_FAILED");
    token = Json::parse(*text, nullptr, false);
  }
  record_["rows"] = record_["rows"].get<std::int64_t>() + pending_.rows;
  record_["sum"] = record_["sum"].get<std::int64_t>() + pending_.sum;
  if (pending_.max_id > record_["max_id"].get<std::int64_t>()) record_["max_id"] = pending_.max_id;
  record_["token"] = token;
  if (auto put = StatePut(sdk::StateScope::kStream, "committed", record_.dump()); !put.ok()) {
    return sdk::Rewrap(put.error(), "COMMIT_FAILED");
  }
  written_.rows += pending_.rows;
  pending_ = Totals{};
  since_commit_ = 0;
  if (final_commit && final_reply_lost_) return {};
  auto sent = Checkpoint(Json{{"id", ++checkpoints_},
                              {"kind", "dest"},
                              {"stream", stream_name()},
                              {"cursor_field", nullptr},
                              {"cursor_value", nullptr},
                              {"commit_token", token},
                              {"records_processed", written_.rows},
                              {"bytes_processed", bytes_}});
  if (!sent.ok()) return sdk::Rewrap(sent.error(), "COMMIT_FAILED");
  return {};
}

sdk::Outcome<Json> TestSink::WriteFrames(const sdk::StreamContext& context) {
  const Json& c = config();
  const std::int64_t attempt = context.attempt();
  exactly_once_ = tc::JsonBool(c, "exactly_once");
  final_reply_lost_ = attempt <= tc::JsonInt(c, "commit_unknown_attempts", 0);

  auto stored = StateGet(sdk::StateScope::kStream, "committed");
  if (!stored.ok()) return stored.error();
  if (stored->has_value()) {
    if (auto parsed = rapidbyte::protocol::ParseJson(**stored)) record_ = *parsed;
  }
  if (exactly_once_) {
    auto done = ReportCommit(record_["token"].is_null() ? "" : record_["token"].dump());
    if (!done.ok()) return done.error();
    if (*done) {
      return Json{{"records_written", 0},
                  {"bytes_written", 0},
                  {"batches_written", 0},
                  {"checkpoint_count", 0}};
    }
  }

  std::int64_t frames = 0;
  const std::int64_t commit_every = tc::JsonInt(c, "commit_every_frames", 0);
  std::vector<std::uint8_t> buffer;
  while (true) {
    auto next = NextFrame(&buffer);
    if (!next.ok()) return next.error();
    if (!*next) break;
    if (attempt <= tc::JsonInt(c, "fail_attempts", 0)) {
      tc::SleepMs(tc::JsonInt(c, "fail_delay_ms", 0));
      return sdk::TransientDbError("TEST_SINK_FAILURE",
                                   "test-sink fails attempt " + std::to_string(attempt));
    }
    if (frames == tc::JsonInt(c, "fail_after_frames", -1)) {
      return sdk::DataError("TEST_SINK_FAILURE", "test-sink failed after frames");
    }
    auto contents =
        arrow::ipc::ReadStream({buffer.data(), buffer.size()}, {arrow::ipc::Validation::kFull});
    if (!contents.ok()) return sdk::InternalError("INVALID_IPC", contents.status().message());
    for (const auto& batch : contents->batches) {
      if (batch.num_columns() < 1) continue;
      const arrow::ArrayView& ids = batch.column(0);
      if (ids.type->id() != arrow::TypeId::kInt64) {
        return sdk::SchemaError("BAD_SCHEMA", "test-sink needs an int64 first column");
      }
      for (std::int64_t i = 0; i < batch.num_rows(); ++i) {
        std::int64_t id = 0;
        std::memcpy(&id, ids.values + 8 * (ids.offset + i), 8);
        pending_.rows++;
        pending_.sum += id;
        if (id > pending_.max_id) pending_.max_id = id;
      }
    }
    bytes_ += static_cast<std::int64_t>(buffer.size());
    ++frames;
    ++since_commit_;
    tc::SleepMs(tc::JsonInt(c, "slow_ms", 0));
    Counter("records_written", written_.rows + pending_.rows);
    Counter("bytes_written", bytes_);
    Counter("batches_written", frames);
    if (commit_every > 0 && since_commit_ >= commit_every) RB_TRY(Commit(false));
  }
  RB_TRY(Commit(true));
  if (final_reply_lost_) {
    sdk::ConnectorError lost =
        sdk::TransientDbError("COMMIT_FAILED", "connection lost during COMMIT");
    lost.WithCommitState(CommitState::kAfterCommitUnknown);
    return lost;
  }
  return Json{{"records_written", written_.rows},
              {"bytes_written", bytes_},
              {"batches_written", frames},
              {"checkpoint_count", checkpoints_},
              {"records_failed", 0},
              {"perf", {{"connect_secs", 0.001}, {"flush_secs", 0.001}, {"commit_secs", 0.001}}}};
}

}  // namespace

RB_DESTINATION(TestSink);
