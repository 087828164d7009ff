// RandomSource: where nonces come from. The system source uses getrandom() on the host and
// getentropy() from wasi-libc on wasm32-wasi (the host's random_get). Tests inject fixed bytes.
// Portable.
#pragma once

#include <cstdint>
#include <span>

#include "base/status.h"

namespace rapidbyte::pgwire {

/// A source of cryptographically secure random bytes. Implementations must be thread-safe.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// Fill `out` completely or fail.
  virtual Status Fill(std::span<std::uint8_t> out) = 0;
};

/// The operating system's secure random source (a process-wide singleton).
RandomSource& SystemRandom();

}  // namespace rapidbyte::pgwire
