// test-collect: a destination that receives every frame, checks the values form one
// consecutive sequence from 0, and reports the count and the sum in its WriteSummary.
#include <cstring>
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

__attribute__((export_name("rb_run_write"))) int64_t rb_run_write(uint32_t, uint32_t) {
  std::vector<std::uint8_t> buffer;
  std::uint64_t expected = 0;
  std::uint64_t sum = 0;
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  while (true) {
    switch (sdk::NextBatch(&buffer)) {
      case sdk::NextStatus::kFrame: break;
      case sdk::NextStatus::kEnd:
        return sdk::RespondOk("{\"records_written\":" + std::to_string(expected) +
                              ",\"bytes_written\":" + std::to_string(bytes) +
                              ",\"batches_written\":" + std::to_string(frames) +
                              ",\"checkpoint_count\":0,\"records_failed\":0,\"perf\":null," +
                              "\"x_sum\":" + std::to_string(sum) + "}");
      case sdk::NextStatus::kUpstreamFailed:
        return sdk::RespondError("internal", "UPSTREAM_FAILED", "upstream failed; rolled back");
      case sdk::NextStatus::kCancelled:
        return sdk::RespondError("cancelled", "CANCELLED", "run cancelled");
      case sdk::NextStatus::kError:
        return sdk::RespondError("internal", "NEXT_FAILED", sdk::LastError());
    }
    std::uint64_t count = 0;
    if (buffer.size() < 8) return sdk::RespondError("data", "BAD_FRAME", "frame shorter than 8 bytes");
    std::memcpy(&count, buffer.data(), 8);
    if (buffer.size() != 8 * (count + 1)) {
      return sdk::RespondError("data", "BAD_FRAME", "frame length does not match its count");
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      std::uint64_t v = 0;
      std::memcpy(&v, buffer.data() + 8 * (i + 1), 8);
      if (v != expected) {
        return sdk::RespondError("data", "OUT_OF_ORDER",
                                 "expected " + std::to_string(expected) + ", got " + std::to_string(v));
      }
      sum += v;
      ++expected;
    }
    ++frames;
    bytes += buffer.size();
  }
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
