// test-sequence: a source that emits the values 0..rows-1 in frames of batch_rows values.
// Config (in the request): {"rows": N, "batch_rows": M, "checkpoints": 0|1}. Emits the
// standard source metrics after every frame and, with checkpoints, a source checkpoint.
#include "connectors/testing/test_frames.h"
#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t, uint32_t) {
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_discover"))) int64_t rb_discover(uint32_t, uint32_t) {
  return sdk::RespondOk(R"({"streams":[]})");
}

__attribute__((export_name("rb_run_read"))) int64_t rb_run_read(uint32_t ptr, uint32_t len) {
  const std::string_view request = sdk::Request(ptr, len);
  const std::int64_t rows = sdk::FindJsonInt(request, "rows", 100);
  const std::int64_t batch = sdk::FindJsonInt(request, "batch_rows", 10);
  const bool checkpoints = sdk::FindJsonInt(request, "checkpoints", 0) != 0;
  std::int64_t emitted = 0;
  std::int64_t frames = 0;
  std::int64_t bytes = 0;
  while (emitted < rows) {
    const std::int64_t n = rows - emitted < batch ? rows - emitted : batch;
    const auto frame = rapidbyte::testing_connectors::EncodeFrame(
        static_cast<std::uint64_t>(emitted), static_cast<std::uint64_t>(n));
    const std::int32_t rc = sdk::EmitBatch(frame);
    if (rc == RB_CANCELLED) return sdk::RespondError("cancelled", "CANCELLED", "run cancelled");
    if (rc != RB_OK) return sdk::RespondError("internal", "EMIT_FAILED", sdk::LastError());
    emitted += n;
    bytes += static_cast<std::int64_t>(frame.size());
    ++frames;
    // The standard source metrics after every batch (SPEC §7.3 step 8), and, when asked, a
    // source checkpoint carrying the batch's last value.
    sdk::EmitCounter("rapidbyte/test-sequence", "", "records_read", emitted);
    sdk::EmitCounter("rapidbyte/test-sequence", "", "bytes_read", bytes);
    sdk::EmitCounter("rapidbyte/test-sequence", "", "batches_emitted", frames);
    if (checkpoints) {
      const std::string checkpoint =
          "{\"id\":" + std::to_string(frames) +
          ",\"kind\":\"source\",\"stream\":\"\",\"cursor_field\":\"v\",\"cursor_value\":{\"int64\":" +
          std::to_string(emitted - 1) + "},\"records_processed\":" + std::to_string(emitted) +
          ",\"bytes_processed\":" + std::to_string(bytes) + "}";
      if (sdk::Checkpoint(RB_CHECKPOINT_SOURCE, "rapidbyte/test-sequence", "", checkpoint) != RB_OK) {
        return sdk::RespondError("internal", "CHECKPOINT_FAILED", sdk::LastError());
      }
    }
  }
  sdk::Log(RB_LOG_INFO, "sequence source emitted " + std::to_string(emitted) + " rows");
  return sdk::RespondOk("{\"records_read\":" + std::to_string(emitted) +
                        ",\"bytes_read\":" + std::to_string(bytes) +
                        ",\"batches_emitted\":" + std::to_string(frames) +
                        ",\"checkpoint_count\":0,\"records_skipped\":0,\"perf\":null}");
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
