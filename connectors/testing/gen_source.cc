// test-gen: the engine's test source. Emits Arrow IPC frames of rows (id int64, name utf8,
// value float64) with ids 1..rows, `batch_rows` per frame. Incremental streams resume after
// cursor_info.last_value and send a source checkpoint after every frame (SPEC §5.5).
// Config: rows, batch_rows, slow_ms (sleep per frame), fail_after_frames with fail_category
// (fail the run after that many frames), trap_after_frames (trap instead), fail_in_open,
// columns: "basic" (the default above) or "arrow_types": id plus Arrow types PostgreSQL
// sources never produce, without field metadata (SPEC §9.2, §11.54), per row id i:
//   u32 uint32 = 4294967295 - i, u64 uint64 = 18446744073709551615 - i,
//   big_text large_utf8 = "large-<i>-é", t time64[ns] = 12:34:56.123456789 + i s,
//   ts timestamp[ns, UTC] = 2024-01-02 03:04:05.123456789 UTC + i days,
//   amount decimal128(12,3) = (i odd ? -1 : 1) × (1000 i + 0.789).
#include <string>

#include "arrow/builder_binary.h"
#include "arrow/builder_primitive.h"
#include "arrow/ipc/writer.h"
#include "arrow/record_batch_builder.h"
#include "protocol/json.h"
#include "connectors/testing/test_config.h"
#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace arrow = rapidbyte::arrow;
using rapidbyte::protocol::Json;

namespace {

constexpr const char* kId = "rapidbyte/test-gen";

std::shared_ptr<const arrow::Schema> MakeSchema(bool arrow_types) {
  if (!arrow_types) {
    return std::make_shared<arrow::Schema>(std::vector<arrow::Field>{
        arrow::Field("id", arrow::DataType::Int64(), false),
        arrow::Field("name", arrow::DataType::Utf8(), true),
        arrow::Field("value", arrow::DataType::Float64(), true)});
  }
  return std::make_shared<arrow::Schema>(std::vector<arrow::Field>{
      arrow::Field("id", arrow::DataType::Int64(), false),
      arrow::Field("u32", arrow::DataType::UInt32(), true),
      arrow::Field("u64", arrow::DataType::UInt64(), true),
      arrow::Field("big_text", arrow::DataType::LargeUtf8(), true),
      arrow::Field("t", arrow::DataType::Time64(arrow::TimeUnit::kNano), true),
      arrow::Field("ts", arrow::DataType::Timestamp(arrow::TimeUnit::kNano, "UTC"), true),
      arrow::Field("amount", arrow::DataType::Decimal128(12, 3), true)});
}

// Append row `id` to every column of `b` (the schema of MakeSchema(arrow_types)).
void AppendRow(arrow::RecordBatchBuilder& b, std::int64_t id, bool arrow_types) {
  (void)b.column_as<arrow::Int64Builder>(0)->Append(id);
  if (!arrow_types) {
    (void)b.column_as<arrow::StringBuilder>(1)->Append("row-" + std::to_string(id));
    (void)b.column_as<arrow::Float64Builder>(2)->Append(static_cast<double>(id) * 0.5);
    return;
  }
  constexpr std::int64_t kNanos = 1000000000;
  const std::int64_t t = (12 * 3600 + 34 * 60 + 56 + id) * kNanos + 123456789;
  const std::int64_t ts = (1704164645 + id * 86400) * kNanos + 123456789;  // 2024-01-02T03:04:05Z
  const std::int64_t amount = (id % 2 == 1 ? -1 : 1) * (id * 1000000 + 789);
  const auto u = static_cast<std::uint64_t>(id);
  (void)b.column_as<arrow::UInt32Builder>(1)->Append(static_cast<std::uint32_t>(0xFFFFFFFFu - u));
  (void)b.column_as<arrow::UInt64Builder>(2)->Append(0xFFFFFFFFFFFFFFFFu - u);
  (void)b.column_as<arrow::LargeStringBuilder>(3)->Append("large-" + std::to_string(id) + "-\u00e9");
  (void)b.column_as<arrow::Int64Builder>(4)->Append(t);
  (void)b.column_as<arrow::Int64Builder>(5)->Append(ts);
  (void)b.column_as<arrow::Decimal128Builder>(6)->Append(arrow::Decimal128::FromInt64(amount));
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  tc::LoadConfig(sdk::Request(ptr, len));
  if (tc::ConfigInt("fail_in_open", 0) != 0) {
    return sdk::RespondError(tc::ConfigString("fail_category", "config"), "OPEN_FAILED",
                             "test-gen was told to fail in rb_open");
  }
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t, uint32_t) {
  return sdk::RespondOk(R"({"streams":[]})");
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  auto context = rapidbyte::protocol::ParseJson(sdk::Request(ptr, len));
  if (!context) return sdk::RespondError("internal", "PARSE_ERROR", "bad StreamContext");
  const std::string stream = context->value("stream_name", "");
  const bool incremental = context->value("sync_mode", "") == "incremental";
  std::int64_t start = 1;
  const Json& cursor = (*context)["cursor_info"];
  if (cursor.is_object() && cursor.contains("last_value") && cursor["last_value"].is_object() &&
      cursor["last_value"].contains("int64")) {
    start = cursor["last_value"]["int64"].get<std::int64_t>() + 1;
  }
  const std::int64_t rows = tc::ConfigInt("rows", 100);
  const std::int64_t batch_rows = tc::ConfigInt("batch_rows", 10);
  const std::int64_t fail_after = tc::ConfigInt("fail_after_frames", -1);
  const std::int64_t trap_after = tc::ConfigInt("trap_after_frames", -1);
  const std::int64_t slow_ms = tc::ConfigInt("slow_ms", 0);

  const bool arrow_types = tc::ConfigString("columns", "basic") == "arrow_types";
  auto builder = arrow::RecordBatchBuilder::Make(MakeSchema(arrow_types));
  if (!builder.ok()) return sdk::RespondError("internal", "ARROW", builder.status().message());
  arrow::ByteBuffer frame;
  std::int64_t emitted = 0, frames = 0, bytes = 0, checkpoints = 0;
  std::int64_t id = start;
  // Always at least one frame, so an empty result still carries the schema.
  do {
    if (frames == fail_after) {
      return sdk::RespondError(tc::ConfigString("fail_category", "transient_network"), "TEST_FAILURE",
                               "test-gen failed after " + std::to_string(frames) + " frames");
    }
    if (frames == trap_after) __builtin_trap();
    auto& b = **builder;
    b.Reset();
    for (std::int64_t i = 0; i < batch_rows && id <= rows; ++i, ++id) AppendRow(b, id, arrow_types);
    auto batch = b.Finish();
    if (!batch.ok()) return sdk::RespondError("internal", "ARROW", batch.status().message());
    frame.Clear();
    if (auto st = arrow::ipc::WriteFrame(*batch, &frame); !st.ok()) {
      return sdk::RespondError("internal", "ARROW", st.message());
    }
    tc::SleepMs(slow_ms);
    const std::int32_t rc = sdk::EmitBatch({frame.data(), static_cast<std::size_t>(frame.size())});
    if (rc == RB_CANCELLED) return sdk::RespondError("cancelled", "CANCELLED", "run cancelled");
    if (rc != RB_OK) return sdk::RespondError("internal", "EMIT_FAILED", sdk::LastError());
    emitted += batch->num_rows();
    bytes += frame.size();
    ++frames;
    sdk::EmitCounter(kId, stream, "records_read", emitted);
    sdk::EmitCounter(kId, stream, "bytes_read", bytes);
    sdk::EmitCounter(kId, stream, "batches_emitted", frames);
    if (incremental && batch->num_rows() > 0) {
      Json cp = {{"id", frames},
                 {"kind", "source"},
                 {"stream", stream},
                 {"cursor_field", "id"},
                 {"cursor_value", {{"int64", id - 1}}},
                 {"records_processed", emitted},
                 {"bytes_processed", bytes}};
      if (sdk::Checkpoint(RB_CHECKPOINT_SOURCE, kId, stream, cp.dump()) != RB_OK) {
        return sdk::RespondError("internal", "CHECKPOINT_FAILED", sdk::LastError());
      }
      ++checkpoints;
    }
  } while (id <= rows);
  Json summary = {{"records_read", emitted},   {"bytes_read", bytes},
                  {"batches_emitted", frames}, {"checkpoint_count", checkpoints},
                  {"records_skipped", 0},
                  {"perf", {{"connect_secs", 0.001}, {"query_secs", 0.001}, {"fetch_secs", 0.001}}}};
  return sdk::RespondOk(summary.dump());
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
