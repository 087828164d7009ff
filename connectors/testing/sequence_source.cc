// test-sequence: a source that emits the values 0..rows-1 in frames of batch_rows values.
// Config (in the run request itself, which the plugin tests call without rb_open):
// {"rows": N, "batch_rows": M, "checkpoints": 0|1}. Emits the standard source metrics after
// every frame and, with checkpoints, a source checkpoint.
#include "connectors/testing/test_config.h"
#include "connectors/testing/test_frames.h"
#include "sdk/exports.h"

namespace sdk = rb::sdk;
namespace tc = rapidbyte::testing_connectors;
using sdk::Json;

namespace {

class SequenceSource final : public sdk::Source {
 public:
  SequenceSource() { set_connector_id("rapidbyte/test-sequence"); }

  sdk::Outcome<Json> Read(const sdk::StreamContext& context) override {
    const Json& request = context.json();
    const std::int64_t rows = tc::JsonInt(request, "rows", 100);
    const std::int64_t batch = tc::JsonInt(request, "batch_rows", 10);
    const bool checkpoints = tc::JsonInt(request, "checkpoints", 0) != 0;
    std::int64_t emitted = 0;
    std::int64_t frames = 0;
    std::int64_t bytes = 0;
    while (emitted < rows) {
      const std::int64_t n = rows - emitted < batch ? rows - emitted : batch;
      const auto frame =
          tc::EncodeFrame(static_cast<std::uint64_t>(emitted), static_cast<std::uint64_t>(n));
      RB_TRY(EmitFrame(frame));
      emitted += n;
      bytes += static_cast<std::int64_t>(frame.size());
      ++frames;
      // The standard source metrics after every batch (SPEC §7.3 step 8), and, when asked, a
      // source checkpoint carrying the batch's last value.
      Counter("records_read", emitted);
      Counter("bytes_read", bytes);
      Counter("batches_emitted", frames);
      if (checkpoints) {
        RB_TRY(Checkpoint(Json{{"id", frames},
                               {"kind", "source"},
                               {"stream", ""},
                               {"cursor_field", "v"},
                               {"cursor_value", {{"int64", emitted - 1}}},
                               {"records_processed", emitted},
                               {"bytes_processed", bytes}}));
      }
    }
    Log(sdk::LogLevel::kInfo, "sequence source emitted " + std::to_string(emitted) + " rows");
    return Json{{"records_read", emitted}, {"bytes_read", bytes},  {"batches_emitted", frames},
                {"checkpoint_count", 0},   {"records_skipped", 0}, {"perf", nullptr}};
  }
};

}  // namespace

RB_SOURCE(SequenceSource);
