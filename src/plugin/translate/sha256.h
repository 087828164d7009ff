// SHA-256 digests (OpenSSL), as lower-case hex: the cache key of a .wasm module and the
// integrity check of a translated shared object. Host only.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
Result<std::string> Sha256Hex(std::span<const std::uint8_t> bytes);

/// The SHA-256 of the first `length` bytes of the open file `fd` (read with pread).
/// Fails when the file is shorter.
Result<std::string> Sha256HexOfFile(int fd, std::uint64_t length);

}  // namespace rapidbyte::plugin::translate
