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
#include "connectors/testing/test_config.h"
#include "sdk/exports.h"

namespace sdk = rb::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace arrow = rapidbyte::arrow;
using sdk::Json;

namespace {

std::shared_ptr<const arrow::Schema> MakeSchema(bool arrow_types) {
  if (!arrow_types) {
    return std::make_shared<arrow::Schema>(
        std::vector<arrow::Field>{arrow::Field("id", arrow::DataType::Int64(), false),
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
  (void)b.column_as<arrow::LargeStringBuilder>(3)->Append("large-" + std::to_string(id) +
                                                          "-\u00e9");
  (void)b.column_as<arrow::Int64Builder>(4)->Append(t);
  (void)b.column_as<arrow::Int64Builder>(5)->Append(ts);
  (void)b.column_as<arrow::Decimal128Builder>(6)->Append(arrow::Decimal128::FromInt64(amount));
}

// The error category a test asks for by name (config fail_category); internal when the
// name is not one.
sdk::ErrorCategory CategoryNamed(const std::string& name) {
  return rapidbyte::protocol::ParseErrorCategory(name).value_or(sdk::ErrorCategory::kInternal);
}

class GenSource final : public sdk::Source {
 public:
  GenSource() { set_connector_id("rapidbyte/test-gen"); }

  sdk::Outcome<sdk::OpenInfo> Open(const Json& config) override {
    if (tc::JsonInt(config, "fail_in_open", 0) != 0) {
      return sdk::Error(CategoryNamed(tc::JsonString(config, "fail_category", "config")),
                        "OPEN_FAILED", "test-gen was told to fail in rb_open");
    }
    return sdk::OpenInfo{};
  }

  sdk::Outcome<Json> Read(const sdk::StreamContext& context) override {
    std::int64_t start = 1;
    if (std::int64_t last = 0; context.last_int64(&last)) start = last + 1;
    const Json& c = config();
    const std::int64_t rows = tc::JsonInt(c, "rows", 100);
    const std::int64_t batch_rows = tc::JsonInt(c, "batch_rows", 10);
    const std::int64_t fail_after = tc::JsonInt(c, "fail_after_frames", -1);
    const std::int64_t trap_after = tc::JsonInt(c, "trap_after_frames", -1);
    const std::int64_t slow_ms = tc::JsonInt(c, "slow_ms", 0);

    const bool arrow_types = tc::JsonString(c, "columns", "basic") == "arrow_types";
    auto builder = arrow::RecordBatchBuilder::Make(MakeSchema(arrow_types));
    if (!builder.ok()) return sdk::InternalError("ARROW", builder.status().message());
    arrow::ByteBuffer frame;
    std::int64_t emitted = 0, frames = 0, bytes = 0, checkpoints = 0;
    std::int64_t id = start;
    // Always at least one frame, so an empty result still carries the schema.
    do {
      if (frames == fail_after) {
        return sdk::Error(CategoryNamed(tc::JsonString(c, "fail_category", "transient_network")),
                          "TEST_FAILURE",
                          "test-gen failed after " + std::to_string(frames) + " frames");
      }
      if (frames == trap_after) __builtin_trap();
      auto& b = **builder;
      b.Reset();
      for (std::int64_t i = 0; i < batch_rows && id <= rows; ++i, ++id) {
        AppendRow(b, id, arrow_types);
      }
      auto batch = b.Finish();
      if (!batch.ok()) return sdk::InternalError("ARROW", batch.status().message());
      frame.Clear();
      if (auto st = arrow::ipc::WriteFrame(*batch, &frame); !st.ok()) {
        return sdk::InternalError("ARROW", st.message());
      }
      tc::SleepMs(slow_ms);
      RB_TRY(EmitFrame({frame.data(), static_cast<std::size_t>(frame.size())}));
      emitted += batch->num_rows();
      bytes += frame.size();
      ++frames;
      Counter("records_read", emitted);
      Counter("bytes_read", bytes);
      Counter("batches_emitted", frames);
      if (context.incremental() && batch->num_rows() > 0) {
        RB_TRY(Checkpoint(Json{{"id", frames},
                               {"kind", "source"},
                               {"stream", context.stream_name()},
                               {"cursor_field", "id"},
                               {"cursor_value", {{"int64", id - 1}}},
                               {"records_processed", emitted},
                               {"bytes_processed", bytes}}));
        ++checkpoints;
      }
    } while (id <= rows);
    return Json{{"records_read", emitted},
                {"bytes_read", bytes},
                {"batches_emitted", frames},
                {"checkpoint_count", checkpoints},
                {"records_skipped", 0},
                {"perf", {{"connect_secs", 0.001}, {"query_secs", 0.001}, {"fetch_secs", 0.001}}}};
  }
};

}  // namespace

RB_SOURCE(GenSource);
