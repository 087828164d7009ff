// Portable SHA-256 (FIPS 180-4), HMAC-SHA-256 (RFC 2104) and PBKDF2-HMAC-SHA-256 (RFC 8018)
// for SCRAM authentication and key hashes, usable inside the wasm sandbox where OpenSSL is
// not available. Not constant-time with respect to message length; keys are processed in
// fixed-size blocks. Portable; no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rapidbyte::pgwire {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// Incremental SHA-256. Not thread-safe; cheap to copy (HMAC reuses keyed states).
class Sha256 {
 public:
  Sha256();
  void Update(std::span<const std::uint8_t> data);
  void Update(std::string_view data) {
    Update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()),
                                         data.size()));
  }
  /// Finish and return the digest; the object must not be updated afterwards.
  Sha256Digest Finish();

  static Sha256Digest Hash(std::span<const std::uint8_t> data);
  static Sha256Digest Hash(std::string_view data);

 private:
  void Compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

/// HMAC-SHA-256 with the key prepared once, so PBKDF2's many iterations do not rehash it.
class HmacSha256 {
 public:
  explicit HmacSha256(std::span<const std::uint8_t> key);
  Sha256Digest Compute(std::span<const std::uint8_t> message) const;
  Sha256Digest Compute(std::string_view message) const {
    return Compute(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(message.data()), message.size()));
  }

 private:
  Sha256 inner_;
  Sha256 outer_;
};

Sha256Digest HmacSha256Digest(std::span<const std::uint8_t> key,
                              std::span<const std::uint8_t> message);

/// PBKDF2-HMAC-SHA-256 producing one 32-byte block (dkLen = 32, as SCRAM-SHA-256 needs).
/// `iterations` must be >= 1 (the caller validates the server's value).
Sha256Digest Pbkdf2Sha256(std::span<const std::uint8_t> password,
                          std::span<const std::uint8_t> salt, std::uint32_t iterations);

/// Lowercase hex of `bytes`.
std::string HexEncode(std::span<const std::uint8_t> bytes);

}  // namespace rapidbyte::pgwire
