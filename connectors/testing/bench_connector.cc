// test-bench: workloads for bench/plugin_bench.cc. Request {"mode", "n", "size", "rounds"}:
//   calls   — n calls of rb_host_is_cancelled (host-call round trip)
//   emit    — n frames of `size` bytes (as a source)
//   drain   — (rb_run_write) receive frames until end of stream
//   compute — ComputeKernel(n, rounds), also built natively by the benchmark
#include <vector>

#include "connectors/testing/compute_kernel.h"
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
  const std::string mode = sdk::FindJsonString(request, "mode");
  const auto n = static_cast<std::uint32_t>(sdk::FindJsonInt(request, "n", 1));
  if (mode == "calls") {
    std::int64_t sum = 0;
    for (std::uint32_t i = 0; i < n; ++i) sum += rb_host_is_cancelled();
    return sdk::RespondOk(std::to_string(sum));
  }
  if (mode == "emit") {
    const auto size = static_cast<std::size_t>(sdk::FindJsonInt(request, "size", 1 << 20));
    std::vector<std::uint8_t> frame(size, 0x5a);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (sdk::EmitBatch(frame) != RB_OK) return sdk::RespondError("internal", "EMIT", sdk::LastError());
    }
    return sdk::RespondOk("{}");
  }
  if (mode == "compute") {
    const auto rounds = static_cast<std::uint32_t>(sdk::FindJsonInt(request, "rounds", 1));
    return sdk::RespondOk(std::to_string(rapidbyte::testing_connectors::ComputeKernel(n, rounds)));
  }
  return sdk::RespondError("config", "UNKNOWN_MODE", "unknown mode");
}

__attribute__((export_name("rb_run_write"))) int64_t rb_run_write(uint32_t, uint32_t) {
  std::vector<std::uint8_t> buffer;
  std::uint64_t frames = 0;
  while (true) {
    switch (sdk::NextBatch(&buffer)) {
      case sdk::NextStatus::kFrame: ++frames; continue;
      case sdk::NextStatus::kEnd: return sdk::RespondOk(std::to_string(frames));
      default: return sdk::RespondError("internal", "NEXT", sdk::LastError());
    }
  }
}

__attribute__((export_name("rb_close"))) int32_t rb_close() { return 0; }

}  // extern "C"
