// A compute-heavy kernel built both as native code and inside a connector, so a benchmark can
// compare the two (the wasm/native CPU ratio of ARCHITECTURE.md): an integer hash mix over a
// pseudo-random array, then an insertion-free radix-style histogram — loads, stores, shifts
// and multiplies, the mix a decoder does.
#pragma once

#include <cstdint>
#include <vector>

namespace rapidbyte::testing_connectors {

inline std::uint64_t ComputeKernel(std::uint32_t n, std::uint32_t rounds) {
  std::vector<std::uint32_t> data(n);
  std::uint32_t x = 2463534242u;
  for (auto& v : data) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v = x;
  }
  std::uint64_t acc = 0;
  std::uint32_t histogram[256] = {};
  for (std::uint32_t r = 0; r < rounds; ++r) {
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t v = data[i] * 2654435761u + r;
      v ^= v >> 15;
      data[i] = v;
      ++histogram[v & 0xff];
      acc += v;
    }
  }
  for (std::uint32_t h : histogram) acc = acc * 31 + h;
  return acc;
}

}  // namespace rapidbyte::testing_connectors
