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
#include "protocol/json.h"
#include "connectors/testing/test_config.h"
#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace arrow = rapidbyte::arrow;
using rapidbyte::protocol::Json;

namespace {

constexpr const char* kId = "rapidbyte/test-sink";

std::int64_t ErrorResponse(const char* category, const char* code, const std::string& message,
                           const char* commit_state = nullptr) {
  Json error = {{"category", category}, {"scope", "stream"},        {"code", code},
                {"message", message},   {"retryable", true},        {"retry_after_ms", nullptr},
                {"backoff_class", "fast"}, {"safe_to_retry", true}, {"commit_state", nullptr},
                {"details", nullptr}};
  if (std::string(category) != "transient_db" && std::string(category) != "transient_network") {
    error["retryable"] = false;
    error["safe_to_retry"] = false;
  }
  if (commit_state != nullptr) {
    error["commit_state"] = commit_state;
    if (std::string(commit_state) == "after_commit_unknown") error["safe_to_retry"] = false;
  }
  return sdk::Respond(Json({{"status", "err"}, {"error", error}}).dump());
}

struct Totals {
  std::int64_t rows = 0, sum = 0, max_id = 0;
};

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  tc::LoadConfig(sdk::Request(ptr, len));
  Json info = {{"protocol_version", "1"}, {"features", Json::array()}, {"default_max_batch_bytes", 4 << 20}};
  if (tc::ConfigBool("exactly_once")) info["features"].push_back("exactly_once");
  return sdk::RespondOk(info.dump());
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_run_write"))) int64_t rb_run_write(uint32_t ptr, uint32_t len) {
  auto context = rapidbyte::protocol::ParseJson(sdk::Request(ptr, len));
  if (!context) return ErrorResponse("internal", "PARSE_ERROR", "bad StreamContext");
  const std::string stream = context->value("stream_name", "");
  const std::int64_t attempt = context->value("attempt", 1);
  const bool exactly_once = tc::ConfigBool("exactly_once");

  // The commit record: what earlier runs and attempts committed.
  Json record = {{"rows", 0}, {"sum", 0}, {"max_id", 0}, {"token", nullptr}};
  std::string stored;
  const std::int32_t got = sdk::StateGet(RB_SCOPE_STREAM, "committed", &stored);
  if (got == RB_ERR) return ErrorResponse("internal", "STATE_FAILED", sdk::LastError());
  if (got == 1) {
    auto parsed = rapidbyte::protocol::ParseJson(stored);
    if (parsed) record = *parsed;
  }
  if (exactly_once) {
    const std::string token = record["token"].is_null() ? "" : record["token"].dump();
    const std::int32_t rc = sdk::ReportCommit(token);
    if (rc == 1) {
      return sdk::RespondOk(R"({"records_written":0,"bytes_written":0,"batches_written":0,"checkpoint_count":0})");
    }
    if (rc != 0) return ErrorResponse("internal", "REPORT_FAILED", sdk::LastError());
  }

  Totals pending;
  Totals written;
  std::int64_t frames = 0, since_commit = 0, bytes = 0, checkpoints = 0;
  const std::int64_t commit_every = tc::ConfigInt("commit_every_frames", 0);
  // Like a COMMIT whose reply never arrived: durable, but the sink cannot confirm it.
  const bool final_reply_lost = attempt <= tc::ConfigInt("commit_unknown_attempts", 0);
  auto commit = [&](bool final_commit) -> std::int32_t {
    Json token = nullptr;
    if (exactly_once) {
      std::string text;
      const std::int32_t rc = sdk::CommitToken(&text);
      if (rc != RB_OK) return rc;
      token = Json::parse(text, nullptr, false);
    }
    record["rows"] = record["rows"].get<std::int64_t>() + pending.rows;
    record["sum"] = record["sum"].get<std::int64_t>() + pending.sum;
    if (pending.max_id > record["max_id"].get<std::int64_t>()) record["max_id"] = pending.max_id;
    record["token"] = token;
    if (sdk::StatePut(RB_SCOPE_STREAM, "committed", record.dump()) != RB_OK) return RB_ERR;
    written.rows += pending.rows;
    pending = Totals{};
    since_commit = 0;
    if (final_commit && final_reply_lost) return RB_OK;
    Json cp = {{"id", ++checkpoints}, {"kind", "dest"},        {"stream", stream},
               {"cursor_field", nullptr}, {"cursor_value", nullptr}, {"commit_token", token},
               {"records_processed", written.rows}, {"bytes_processed", bytes}};
    return sdk::Checkpoint(RB_CHECKPOINT_DEST, kId, stream, cp.dump());
  };

  std::vector<std::uint8_t> buffer;
  while (true) {
    const sdk::NextStatus next = sdk::NextBatch(&buffer);
    if (next == sdk::NextStatus::kEnd) break;
    if (next == sdk::NextStatus::kUpstreamFailed) {
      return ErrorResponse("internal", "UPSTREAM_FAILED", "upstream failed; rolled back");
    }
    if (next == sdk::NextStatus::kCancelled) return ErrorResponse("cancelled", "CANCELLED", "cancelled");
    if (next == sdk::NextStatus::kError) return ErrorResponse("internal", "NEXT_FAILED", sdk::LastError());
    if (attempt <= tc::ConfigInt("fail_attempts", 0)) {
      tc::SleepMs(tc::ConfigInt("fail_delay_ms", 0));
      return ErrorResponse("transient_db", "TEST_SINK_FAILURE",
                           "test-sink fails attempt " + std::to_string(attempt));
    }
    if (frames == tc::ConfigInt("fail_after_frames", -1)) {
      return ErrorResponse("data", "TEST_SINK_FAILURE", "test-sink failed after frames");
    }
    auto contents = arrow::ipc::ReadStream({buffer.data(), buffer.size()},
                                           {arrow::ipc::Validation::kFull});
    if (!contents.ok()) return ErrorResponse("internal", "INVALID_IPC", contents.status().message());
    for (const auto& batch : contents->batches) {
      if (batch.num_columns() < 1) continue;
      const arrow::ArrayView& ids = batch.column(0);
      if (ids.type->id() != arrow::TypeId::kInt64) {
        return ErrorResponse("schema", "BAD_SCHEMA", "test-sink needs an int64 first column");
      }
      for (std::int64_t i = 0; i < batch.num_rows(); ++i) {
        std::int64_t id = 0;
        std::memcpy(&id, ids.values + 8 * (ids.offset + i), 8);
        pending.rows++;
        pending.sum += id;
        if (id > pending.max_id) pending.max_id = id;
      }
    }
    bytes += static_cast<std::int64_t>(buffer.size());
    ++frames;
    ++since_commit;
    tc::SleepMs(tc::ConfigInt("slow_ms", 0));
    sdk::EmitCounter(kId, stream, "records_written", written.rows + pending.rows);
    sdk::EmitCounter(kId, stream, "bytes_written", bytes);
    sdk::EmitCounter(kId, stream, "batches_written", frames);
    if (commit_every > 0 && since_commit >= commit_every) {
      const std::int32_t rc = commit(false);
      if (rc == RB_CANCELLED) return ErrorResponse("cancelled", "CANCELLED", "cancelled");
      if (rc != RB_OK) return ErrorResponse("internal", "COMMIT_FAILED", sdk::LastError());
    }
  }
  const std::int32_t rc = commit(true);
  if (rc == RB_CANCELLED) return ErrorResponse("cancelled", "CANCELLED", "cancelled");
  if (rc != RB_OK) return ErrorResponse("internal", "COMMIT_FAILED", sdk::LastError());
  if (final_reply_lost) {
    return ErrorResponse("transient_db", "COMMIT_FAILED", "connection lost during COMMIT",
                         "after_commit_unknown");
  }
  Json summary = {{"records_written", written.rows}, {"bytes_written", bytes},
                  {"batches_written", frames},       {"checkpoint_count", checkpoints},
                  {"records_failed", 0},
                  {"perf", {{"connect_secs", 0.001}, {"flush_secs", 0.001}, {"commit_secs", 0.001}}}};
  return sdk::RespondOk(summary.dump());
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
