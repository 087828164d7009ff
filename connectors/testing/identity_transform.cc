// test-identity: a transform that forwards every frame unchanged, finishing each input frame
// before asking for the next (SPEC §5.5 transform rule).
#include <vector>

#include "sdk/exports.h"

namespace sdk = rb::sdk;
using sdk::Json;

namespace {

class IdentityTransform final : public sdk::Transform {
 public:
  sdk::Outcome<Json> Process(const sdk::StreamContext& /*context*/) override {
    std::vector<std::uint8_t> buffer;
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;
    while (true) {
      auto next = NextFrame(&buffer);
      if (!next.ok()) return next.error();
      if (!*next) break;
      RB_TRY(EmitFrame(buffer));
      ++frames;
      bytes += buffer.size();
    }
    return Json{{"records_in", 0},
                {"records_out", 0},
                {"bytes_in", bytes},
                {"bytes_out", bytes},
                {"batches_processed", frames}};
  }
};

}  // namespace

RB_TRANSFORM(IdentityTransform);
