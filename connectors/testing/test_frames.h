// The frame layout the plumbing test connectors exchange until they speak Arrow IPC:
// u64 count, then count u64 values, little-endian (wasm32 is little-endian).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace rapidbyte::testing_connectors {

inline std::vector<std::uint8_t> EncodeFrame(std::uint64_t first, std::uint64_t count) {
  std::vector<std::uint8_t> frame(8 * (count + 1));
  std::memcpy(frame.data(), &count, 8);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t v = first + i;
    std::memcpy(frame.data() + 8 * (i + 1), &v, 8);
  }
  return frame;
}

}  // namespace rapidbyte::testing_connectors
