// test-bench: workloads for bench/plugin_bench.cc. Request {"mode", "n", "size", "rounds"}:
//   calls   — n calls of rb_host_is_cancelled (host-call round trip)
//   emit    — n frames of `size` bytes (as a source)
//   drain   — (rb_run_write) receive frames until end of stream
//   compute — ComputeKernel(n, rounds), also built natively by the benchmark
#include <vector>

#include "connectors/testing/compute_kernel.h"
#include "connectors/testing/test_config.h"
#include "sdk/exports.h"

namespace sdk = rb::sdk;
namespace tc = rapidbyte::testing_connectors;
using sdk::Json;

namespace {

class BenchConnector final : public sdk::Source, public sdk::Destination {
 public:
  sdk::Outcome<Json> Read(const sdk::StreamContext& context) override {
    const Json& request = context.json();
    const std::string mode = tc::JsonString(request, "mode", "");
    const auto n = static_cast<std::uint32_t>(tc::JsonInt(request, "n", 1));
    if (mode == "calls") {
      std::int64_t sum = 0;
      for (std::uint32_t i = 0; i < n; ++i) sum += IsCancelled() ? 1 : 0;
      return Json(sum);
    }
    if (mode == "emit") {
      const auto size = static_cast<std::size_t>(tc::JsonInt(request, "size", 1 << 20));
      std::vector<std::uint8_t> frame(size, 0x5a);
      for (std::uint32_t i = 0; i < n; ++i) {
        if (auto sent = EmitFrame(frame); !sent.ok()) {
          return sdk::InternalError("EMIT", sent.error().message);
        }
      }
      return Json::object();
    }
    if (mode == "compute") {
      const auto rounds = static_cast<std::uint32_t>(tc::JsonInt(request, "rounds", 1));
      return Json(tc::ComputeKernel(n, rounds));
    }
    return sdk::Error(sdk::ErrorCategory::kConfig, "UNKNOWN_MODE", "unknown mode");
  }

  sdk::Outcome<Json> Write(const sdk::StreamContext& /*context*/) override {
    std::vector<std::uint8_t> buffer;
    std::uint64_t frames = 0;
    while (true) {
      auto next = NextFrame(&buffer);
      if (!next.ok()) return sdk::InternalError("NEXT", next.error().message);
      if (!*next) return Json(frames);
      ++frames;
    }
  }
};

}  // namespace

RB_SOURCE_AND_DESTINATION(BenchConnector);
