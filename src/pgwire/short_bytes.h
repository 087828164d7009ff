// Byte helpers for the COPY codecs' short values (most text, numeric and uuid values are a
// few bytes): memcpy and a NUL search without a library call, in portable C++ (8-byte words;
// no intrinsics, so they also serve wasm32). Internal to pgwire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace rapidbyte::pgwire::short_bytes {

/// Copy `n` bytes, sizeof(W) <= n <= 2 * sizeof(W), as two overlapping words.
template <typename W>
inline void CopyTwoWords(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
  W head, tail;
  std::memcpy(&head, src, sizeof(W));
  std::memcpy(&tail, src + n - sizeof(W), sizeof(W));
  std::memcpy(dst, &head, sizeof(W));
  std::memcpy(dst + n - sizeof(W), &tail, sizeof(W));
}

/// memcpy(dst, src, n); reads and writes exactly `n` bytes.
inline void Copy(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
  if (n > 16) {
    std::memcpy(dst, src, n);
  } else if (n >= 8) {
    CopyTwoWords<std::uint64_t>(dst, src, n);
  } else if (n >= 4) {
    CopyTwoWords<std::uint32_t>(dst, src, n);
  } else {
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

/// Non-zero exactly when a byte of `w` is zero. The bits say whether, not where: a borrow
/// out of a zero byte can also mark the byte above it.
inline std::uint64_t ZeroByteBits(std::uint64_t w) {
  return (w - 0x0101010101010101u) & ~w & 0x8080808080808080u;
}

/// True when a byte of the 8 in `w` is zero (exact).
inline bool HasZeroByte(std::uint64_t w) { return ZeroByteBits(w) != 0; }

/// True when one of the `n` bytes at `p` is NUL; reads only those bytes. No memchr: a
/// library call per value costs more than the scan for the short values that dominate, and
/// long ones go 32 bytes a step (four words or'd before one test).
inline bool ContainsNul(const std::uint8_t* p, std::size_t n) {
  std::size_t i = 0;
  std::uint64_t w[4];
  for (; i + 32 <= n; i += 32) {
    std::memcpy(w, p + i, 32);
    if ((ZeroByteBits(w[0]) | ZeroByteBits(w[1]) | ZeroByteBits(w[2]) | ZeroByteBits(w[3])) != 0) {
      return true;
    }
  }
  for (; i + 8 <= n; i += 8) {
    std::memcpy(w, p + i, 8);
    if (HasZeroByte(w[0])) return true;
  }
  if (i == n) return false;
  if (n >= 8) {
    std::memcpy(w, p + n - 8, 8);  // overlaps bytes already tested
    return HasZeroByte(w[0]);
  }
  for (; i < n; ++i) {
    if (p[i] == 0) return true;
  }
  return false;
}

}  // namespace rapidbyte::pgwire::short_bytes
