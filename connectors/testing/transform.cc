// test-transform: the small transforms of SPEC §5.9 that exercise the engine's transform
// path. Config `mode`: identity (forward frames unchanged), add_column (append an int64
// column "extra" = 7), drop_column (drop the last column); `fail_after_frames` fails the run
// after that many input frames, `trap_after_frames` traps instead.
#include <string>
#include <vector>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/writer.h"
#include "protocol/json.h"
#include "connectors/testing/test_config.h"
#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace arrow = rapidbyte::arrow;
using rapidbyte::protocol::Json;

namespace {

std::int64_t Fail(const char* category, const char* code, const std::string& message) {
  return sdk::RespondError(category, code, message);
}

// Re-encode `frame` with the mode's change to every batch.
rapidbyte::Status Rewrite(const std::string& mode, std::span<const std::uint8_t> frame,
                          arrow::ByteBuffer* out, std::int64_t* rows) {
  auto contents = arrow::ipc::ReadStream(frame, {arrow::ipc::Validation::kFull});
  if (!contents.ok()) return contents.status();
  std::vector<arrow::Field> fields = contents->schema->fields();
  if (mode == "add_column") {
    fields.emplace_back("extra", arrow::DataType::Int64(), false);
  } else if (!fields.empty()) {
    fields.pop_back();
  }
  auto schema = std::make_shared<const arrow::Schema>(fields);
  std::vector<arrow::RecordBatch> batches;
  std::vector<std::vector<std::int64_t>> extra_values;
  extra_values.reserve(contents->batches.size());
  for (const auto& batch : contents->batches) {
    std::vector<arrow::ArrayView> columns = batch.columns();
    if (mode == "add_column") {
      extra_values.emplace_back(static_cast<std::size_t>(batch.num_rows()), 7);
      arrow::ArrayView extra;
      extra.type = &schema->field(schema->num_fields() - 1).type();
      extra.length = batch.num_rows();
      extra.values = reinterpret_cast<const std::uint8_t*>(extra_values.back().data());
      columns.push_back(extra);
    } else if (!columns.empty()) {
      columns.pop_back();
    }
    *rows += batch.num_rows();
    batches.emplace_back(schema, batch.num_rows(), std::move(columns));
  }
  return arrow::ipc::WriteStream(*schema, batches, out);
}

}  // namespace

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t ptr, uint32_t len) {
  tc::LoadConfig(sdk::Request(ptr, len));
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_run_transform"))) int64_t rb_run_transform(uint32_t, uint32_t) {
  std::string mode = "identity";
  mode = tc::ConfigString("mode", mode);
  const std::int64_t fail_after = tc::ConfigInt("fail_after_frames", -1);
  const std::int64_t trap_after = tc::ConfigInt("trap_after_frames", -1);
  std::vector<std::uint8_t> buffer;
  arrow::ByteBuffer out;
  std::int64_t frames = 0, rows = 0, bytes_in = 0, bytes_out = 0;
  while (true) {
    const sdk::NextStatus next = sdk::NextBatch(&buffer);
    if (next == sdk::NextStatus::kEnd) break;
    if (next == sdk::NextStatus::kUpstreamFailed) return Fail("internal", "UPSTREAM_FAILED", "upstream failed");
    if (next == sdk::NextStatus::kCancelled) return Fail("cancelled", "CANCELLED", "cancelled");
    if (next == sdk::NextStatus::kError) return Fail("internal", "NEXT_FAILED", sdk::LastError());
    if (frames == fail_after) {
      return Fail("data", "TRANSFORM_FAILED", "test-transform failed after " + std::to_string(frames) + " frames");
    }
    if (frames == trap_after) __builtin_trap();
    ++frames;
    bytes_in += static_cast<std::int64_t>(buffer.size());
    std::span<const std::uint8_t> emit(buffer.data(), buffer.size());
    if (mode != "identity") {
      out.Clear();
      if (auto st = Rewrite(mode, emit, &out, &rows); !st.ok()) {
        return Fail("data", "TRANSFORM_FAILED", st.message());
      }
      emit = {out.data(), static_cast<std::size_t>(out.size())};
    }
    bytes_out += static_cast<std::int64_t>(emit.size());
    const std::int32_t rc = sdk::EmitBatch(emit);
    if (rc == RB_CANCELLED) return Fail("cancelled", "CANCELLED", "cancelled");
    if (rc != RB_OK) return Fail("internal", "EMIT_FAILED", sdk::LastError());
  }
  Json summary = {{"records_in", rows}, {"records_out", rows}, {"bytes_in", bytes_in},
                  {"bytes_out", bytes_out}, {"batches_processed", frames}};
  return sdk::RespondOk(summary.dump());
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
