// test-bench: workloads for bench/plugin_bench.cc. Request {"mode", "n", "size", "rounds"}:
//   calls   — n calls of rb_host_is_cancelled (host-call round trip)
//   emit    — n frames of `size` bytes (as a source)
//   drain   — (rb_run_write) receive frames until end of stream
//   compute — ComputeKernel(n, rounds), also built natively by the benchmark
//   codec   — n round trips of `size` bytes (half text rows, half random) through every codec
//             of sdk::host::Compress / Decompress at `level`, decompressing into an empty
//             string (so the SDK retries with the size the host reports); then empty input,
//             corrupt input and a bad level. Answers per codec {"bytes", "compressed",
//             "round_trip", "retry_round_trip"} and {"empty_round_trips", "corrupt",
//             "bad_level"} (error codes)
#include <string>
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
    if (mode == "codec") {
      return Codecs(n, static_cast<std::size_t>(tc::JsonInt(request, "size", 1 << 20)),
                    static_cast<int>(tc::JsonInt(request, "level", 0)));
    }
    if (mode == "compute") {
      const auto rounds = static_cast<std::uint32_t>(tc::JsonInt(request, "rounds", 1));
      return Json(tc::ComputeKernel(n, rounds));
    }
    return sdk::Error(sdk::ErrorCategory::kConfig, "UNKNOWN_MODE", "unknown mode");
  }

  static std::string Repeat(std::string_view piece, std::size_t size) {
    std::string out;
    while (out.size() < size) out += piece;
    out.resize(size);
    return out;
  }

  static Json Codecs(std::uint32_t rounds, std::size_t size, int level) {
    std::vector<std::uint8_t> input;
    input.reserve(size);
    for (std::uint64_t row = 0; input.size() < size / 2; ++row) {
      const std::string line = "row " + std::to_string(row) + ",customer_" +
                               std::to_string(row % 97) + ",status=active\n";
      input.insert(input.end(), line.begin(), line.end());
    }
    std::uint64_t state = 0x9e3779b97f4a7c15u;
    while (input.size() < size) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      input.push_back(static_cast<std::uint8_t>(state >> 56));
    }
    input.resize(size);
    auto bytes = [](const std::string& s) {
      return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()),
                                           s.size());
    };
    auto code = [](const sdk::Outcome<void>& outcome) {
      return outcome.ok() ? std::string("none") : outcome.error().code;
    };
    Json out = Json::object();
    bool empty_ok = true;
    for (const char* name : {"zstd", "lz4", "snappy", "gzip"}) {
      const sdk::host::Codec codec = *sdk::host::ParseCodec(name);
      std::string packed;
      std::string unpacked;
      bool same = true;
      for (std::uint32_t i = 0; i < rounds; ++i) {
        unpacked = std::string();  // no capacity: the first attempt is a guess
        same = same && sdk::host::Compress(codec, input, &packed, level).ok() &&
               sdk::host::Decompress(codec, bytes(packed), &unpacked).ok() &&
               unpacked.size() == input.size() &&
               std::equal(input.begin(), input.end(), unpacked.begin(),
                          [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
      }
      out[name] =
          Json{{"bytes", input.size()}, {"compressed", packed.size()}, {"round_trip", same}};
      // 1 MiB of one repeated row compresses so well that the SDK's first guess (4x the
      // compressed size) is too small: the host's size reply makes the second attempt fit.
      const std::string rows = Repeat("row 42,customer_42,status=active\n", 1 << 20);
      const bool retried = sdk::host::Compress(codec, bytes(rows), &packed).ok() &&
                           packed.size() * 4 + 1024 < rows.size() &&
                           sdk::host::Decompress(codec, bytes(packed), &unpacked).ok() &&
                           unpacked == rows;
      out[name]["retry_round_trip"] = retried;
      empty_ok = empty_ok && sdk::host::Compress(codec, {}, &packed).ok() && !packed.empty() &&
                 sdk::host::Decompress(codec, bytes(packed), &unpacked).ok() && unpacked.empty();
    }
    out["empty_round_trips"] = empty_ok;
    std::string scratch;
    const std::string junk = "this is not snappy data, not at all";
    out["corrupt"] = code(sdk::host::Decompress(sdk::host::Codec::kSnappy, bytes(junk), &scratch));
    out["bad_level"] = code(sdk::host::Compress(sdk::host::Codec::kGzip, input, &scratch, 42));
    return out;
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
