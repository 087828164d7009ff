// test-identity: a transform that forwards every frame unchanged, finishing each input frame
// before asking for the next (SPEC §5.5 transform rule).
#include <vector>

#include "sdk/sdk.h"

namespace sdk = rapidbyte::sdk;

extern "C" {

__attribute__((export_name("rb_open"))) int64_t rb_open(uint32_t, uint32_t) {
  return sdk::RespondDefaultOpenInfo();
}

__attribute__((export_name("rb_validate"))) int64_t rb_validate(uint32_t, uint32_t) {
  return sdk::RespondValidationSuccess();
}

__attribute__((export_name("rb_run_transform"))) int64_t rb_run_transform(uint32_t, uint32_t) {
  std::vector<std::uint8_t> buffer;
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  while (true) {
    switch (sdk::NextBatch(&buffer)) {
      case sdk::NextStatus::kFrame: break;
      case sdk::NextStatus::kEnd:
        return sdk::RespondOk("{\"records_in\":0,\"records_out\":0,\"bytes_in\":" +
                              std::to_string(bytes) + ",\"bytes_out\":" + std::to_string(bytes) +
                              ",\"batches_processed\":" + std::to_string(frames) + "}");
      case sdk::NextStatus::kUpstreamFailed:
        return sdk::RespondError("internal", "UPSTREAM_FAILED", "upstream failed");
      case sdk::NextStatus::kCancelled:
        return sdk::RespondError("cancelled", "CANCELLED", "run cancelled");
      case sdk::NextStatus::kError:
        return sdk::RespondError("internal", "NEXT_FAILED", sdk::LastError());
    }
    const std::int32_t rc = sdk::EmitBatch(buffer);
    if (rc == RB_CANCELLED) return sdk::RespondError("cancelled", "CANCELLED", "run cancelled");
    if (rc != RB_OK) return sdk::RespondError("internal", "EMIT_FAILED", sdk::LastError());
    ++frames;
    bytes += buffer.size();
  }
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
