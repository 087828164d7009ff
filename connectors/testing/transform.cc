// test-transform: the small transforms of SPEC §5.9 that exercise the engine's transform
// path. Config `mode`: identity (forward frames unchanged), add_column (append an int64
// column "extra" = 7), drop_column (drop the last column); `fail_after_frames` fails the run
// after that many input frames, `trap_after_frames` traps instead.
#include <string>
#include <vector>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/writer.h"
#include "connectors/testing/test_config.h"
#include "sdk/exports.h"

namespace sdk = rb::sdk;
namespace tc = rapidbyte::testing_connectors;
namespace arrow = rapidbyte::arrow;
using sdk::Json;

namespace {

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

class TestTransform final : public sdk::Transform {
 public:
  sdk::Outcome<Json> Process(const sdk::StreamContext& /*context*/) override {
    const std::string mode = tc::JsonString(config(), "mode", "identity");
    const std::int64_t fail_after = tc::JsonInt(config(), "fail_after_frames", -1);
    const std::int64_t trap_after = tc::JsonInt(config(), "trap_after_frames", -1);
    std::vector<std::uint8_t> buffer;
    arrow::ByteBuffer out;
    std::int64_t frames = 0, rows = 0, bytes_in = 0, bytes_out = 0;
    while (true) {
      auto next = NextFrame(&buffer);
      if (!next.ok()) return next.error();
      if (!*next) break;
      if (frames == fail_after) {
        return sdk::DataError("TRANSFORM_FAILED",
                              "test-transform failed after " + std::to_string(frames) + " frames");
      }
      if (frames == trap_after) __builtin_trap();
      ++frames;
      bytes_in += static_cast<std::int64_t>(buffer.size());
      std::span<const std::uint8_t> emit(buffer.data(), buffer.size());
      if (mode != "identity") {
        out.Clear();
        if (auto st = Rewrite(mode, emit, &out, &rows); !st.ok()) {
          return sdk::DataError("TRANSFORM_FAILED", st.message());
        }
        emit = {out.data(), static_cast<std::size_t>(out.size())};
      }
      bytes_out += static_cast<std::int64_t>(emit.size());
      RB_TRY(EmitFrame(emit));
    }
    return Json{{"records_in", rows},
                {"records_out", rows},
                {"bytes_in", bytes_in},
                {"bytes_out", bytes_out},
                {"batches_processed", frames}};
  }
};

}  // namespace

RB_TRANSFORM(TestTransform);
