// Fuzz target: the codecs behind rb_host_compress / rb_host_decompress. The first byte picks
// the codec (and a level); the rest is
//   - decompressed under a 4 MiB limit: a typed error or the output, never a crash, an
//     over-read, a leak or output past the limit;
//   - compressed, which must decompress to exactly those bytes;
//   - sent through both host calls over a small fake linear memory, at pointers and
//     capacities taken from the input, which the host must bounds-check.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include <wasm-rt.h>

#include "plugin/host_context.h"
#include "plugin/host_error.h"
#include "plugin/hostcalls/codec_calls.h"
#include "plugin/hostcalls/codecs.h"

namespace {

namespace codecs = rapidbyte::plugin::codecs;

constexpr std::size_t kLimit = std::size_t{4} << 20;

void Check(bool ok) {
  if (!ok) std::abort();
}

// Pointers near the data, near the end of memory, or anywhere.
std::uint32_t Pointer(std::uint8_t selector, std::uint32_t memory) {
  switch (selector % 4) {
    case 0:
      return 256;
    case 1:
      return memory - (selector >> 2);
    case 2:
      return 0xFFFFFF00u + (selector >> 2);
    default:
      return static_cast<std::uint32_t>(selector) << 10;
  }
}

void HostCalls(codecs::Codec codec, std::span<const std::uint8_t> data,
               std::span<const std::uint8_t> selectors) {
  constexpr std::uint32_t kMemory = 1u << 17;
  constexpr std::uint32_t kIn = 256;
  constexpr std::uint32_t kOut = 1u << 16;
  constexpr std::uint32_t kLen = 16;
  // Small enough that even incompressible data compresses into the room before kOut.
  constexpr std::size_t kMaxData = 32u << 10;
  if (data.size() > kMaxData) data = data.first(kMaxData);
  std::vector<std::uint8_t> bytes(kMemory, 0);
  if (!data.empty()) std::memcpy(bytes.data() + kIn, data.data(), data.size());
  wasm_rt_memory_t memory{};
  memory.data = bytes.data();
  memory.pages = kMemory / 65536;
  memory.max_pages = memory.pages;
  memory.size = kMemory;
  rapidbyte::plugin::HostContext host;
  host.connector_id = "fuzz";
  host.memory = &memory;
  Z_rapidbyte_instance_t instance{&host};
  const auto number = static_cast<std::uint32_t>(codec);
  const auto len = static_cast<std::uint32_t>(data.size());

  // Compress, then decompress the result back over the input: the same bytes.
  if (Z_rapidbyteZ_rb_host_compress(&instance, number, 0, kIn, len, kOut, kMemory - kOut, kLen) ==
      1) {
    std::uint32_t packed = 0;
    std::memcpy(&packed, bytes.data() + kLen, 4);
    Check(packed <= kMemory - kOut && packed <= kOut - kIn);
    std::memmove(bytes.data() + kIn, bytes.data() + kOut, packed);
    Check(Z_rapidbyteZ_rb_host_decompress(&instance, number, kIn, packed, kOut, kMemory - kOut,
                                          kLen) == 1);
    std::uint32_t unpacked = 0;
    std::memcpy(&unpacked, bytes.data() + kLen, 4);
    Check(unpacked == len && (len == 0 || std::memcmp(bytes.data() + kOut, data.data(), len) == 0));
  }
  // Fuzzed ranges and codec numbers: a status code every time, never an access outside.
  if (selectors.size() >= 5) {
    const std::uint32_t in_ptr = Pointer(selectors[0], kMemory);
    const std::uint32_t out_ptr = Pointer(selectors[1], kMemory);
    const std::uint32_t len_ptr = Pointer(selectors[2], kMemory);
    const std::uint32_t cap = static_cast<std::uint32_t>(selectors[3]) << 9;
    const std::uint32_t any_codec = selectors[4] % 6;
    Z_rapidbyteZ_rb_host_compress(&instance, any_codec, 0, in_ptr, len, out_ptr, cap, len_ptr);
    Z_rapidbyteZ_rb_host_decompress(&instance, any_codec, in_ptr, len, out_ptr, cap, len_ptr);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto codec = *codecs::FromAbi(1 + data[0] % 4);
  const int level = codec == codecs::Codec::kSnappy ? 0 : (data[0] >> 2) % 4;
  const std::span<const std::uint8_t> input(data + 1, size - 1);

  codecs::Buffer out;
  const rapidbyte::Status decoded = codecs::Decompress(codec, input, kLimit, &out);
  if (decoded.ok()) {
    Check(out.span().size() <= kLimit);
    volatile std::uint8_t sink = 0;
    for (std::uint8_t b : out.span()) sink = sink ^ b;  // ASan sees every output byte
  } else {
    const std::string_view code = rapidbyte::plugin::HostErrorCode(decoded);
    Check(code == codecs::kDecompressionFailed || code == codecs::kTooLarge);
  }

  codecs::Buffer packed;
  Check(codecs::Compress(codec, level, input, &packed).ok());
  codecs::Buffer unpacked;
  Check(codecs::Decompress(codec, packed.span(), kLimit, &unpacked).ok());
  Check(unpacked.span().size() == input.size() &&
        (input.empty() || std::memcmp(unpacked.data(), input.data(), input.size()) == 0));

  HostCalls(codec, input, input.last(std::min<std::size_t>(input.size(), 5)));
  return 0;
}
