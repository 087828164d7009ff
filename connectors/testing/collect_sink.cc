// test-collect: a destination that receives every frame, checks the values form one
// consecutive sequence from 0, and reports the count and the sum in its WriteSummary.
#include <cstring>
#include <vector>

#include "sdk/exports.h"

namespace sdk = rb::sdk;
using sdk::Json;

namespace {

class CollectSink final : public sdk::Destination {
 public:
  sdk::Outcome<Json> Write(const sdk::StreamContext& /*context*/) override {
    std::vector<std::uint8_t> buffer;
    std::uint64_t expected = 0;
    std::uint64_t sum = 0;
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;
    while (true) {
      auto next = NextFrame(&buffer);
      if (!next.ok()) return next.error();  // UPSTREAM_FAILED, CANCELLED, NEXT_FAILED
      if (!*next) break;
      std::uint64_t count = 0;
      if (buffer.size() < 8) return sdk::DataError("BAD_FRAME", "frame shorter than 8 bytes");
      std::memcpy(&count, buffer.data(), 8);
      if (buffer.size() != 8 * (count + 1)) {
        return sdk::DataError("BAD_FRAME", "frame length does not match its count");
      }
      for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t v = 0;
        std::memcpy(&v, buffer.data() + 8 * (i + 1), 8);
        if (v != expected) {
          return sdk::DataError("OUT_OF_ORDER", "expected " + std::to_string(expected) + ", got " +
                                                    std::to_string(v));
        }
        sum += v;
        ++expected;
      }
      ++frames;
      bytes += buffer.size();
    }
    return Json{{"records_written", expected},
                {"bytes_written", bytes},
                {"batches_written", frames},
                {"checkpoint_count", 0},
                {"records_failed", 0},
                {"perf", nullptr},
                {"x_sum", sum}};
  }
};

}  // namespace

RB_DESTINATION(CollectSink);
