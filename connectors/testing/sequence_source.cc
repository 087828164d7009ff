// test-sequence: a source that emits the values 0..rows-1 in frames of batch_rows values.
// Config (in the request): {"rows": N, "batch_rows": M}.
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
  }
  sdk::Log(RB_LOG_INFO, "sequence source emitted " + std::to_string(emitted) + " rows");
  return sdk::RespondOk("{\"records_read\":" + std::to_string(emitted) +
                        ",\"bytes_read\":" + std::to_string(bytes) +
                        ",\"batches_emitted\":" + std::to_string(frames) +
                        ",\"checkpoint_count\":0,\"records_skipped\":0,\"perf\":null}");
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
