// Big-endian byte helpers for the PostgreSQL wire format: WireWriter appends to a reusable
// byte buffer, WireReader reads from an untrusted byte span and checks every read against the
// bytes that remain. Portable; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"

namespace rapidbyte::pgwire {

using Bytes = std::span<const std::uint8_t>;

/// Appends big-endian integers, strings and raw bytes to a caller-owned vector (reused across
/// messages, so steady-state encoding does not allocate). Not thread-safe.
class WireWriter {
 public:
  explicit WireWriter(std::vector<std::uint8_t>* out) : out_(out) {}

  void PutU8(std::uint8_t v) { out_->push_back(v); }
  void PutI16(std::int16_t v) { PutU16(static_cast<std::uint16_t>(v)); }
  void PutU16(std::uint16_t v) {
    const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    out_->insert(out_->end(), b, b + 2);
  }
  void PutI32(std::int32_t v) { PutU32(static_cast<std::uint32_t>(v)); }
  void PutU32(std::uint32_t v) {
    const std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24),
                               static_cast<std::uint8_t>(v >> 16),
                               static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    out_->insert(out_->end(), b, b + 4);
  }
  void PutBytes(Bytes bytes) { out_->insert(out_->end(), bytes.begin(), bytes.end()); }
  void PutBytes(std::string_view s) {
    out_->insert(out_->end(), reinterpret_cast<const std::uint8_t*>(s.data()),
                 reinterpret_cast<const std::uint8_t*>(s.data()) + s.size());
  }
  /// Append `s` and a terminating NUL (callers check that `s` holds no NUL).
  void PutCString(std::string_view s) {
    PutBytes(s);
    PutU8(0);
  }
  std::size_t size() const { return out_->size(); }
  /// Overwrite 4 bytes at `offset` (a length placeholder written earlier).
  void PatchU32(std::size_t offset, std::uint32_t v) {
    std::uint8_t* p = out_->data() + offset;
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
  }

 private:
  std::vector<std::uint8_t>* out_;
};

inline std::uint16_t LoadU16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t LoadU32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
inline std::uint64_t LoadU64(const std::uint8_t* p) {
  return (std::uint64_t{LoadU32(p)} << 32) | LoadU32(p + 4);
}

/// Reads fields from an untrusted span. Every accessor checks the remaining length first and
/// returns a PROTOCOL_ERROR status (kDataLoss) naming `what`. Views returned by CString and
/// Take point into the input span and live as long as it does.
class WireReader {
 public:
  explicit WireReader(Bytes data) : data_(data) {}

  std::size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  /// Bytes consumed so far: the offset of the next field (for error messages).
  std::size_t offset() const { return pos_; }

  Result<std::uint8_t> U8(const char* what);
  Result<std::int16_t> I16(const char* what);
  Result<std::int32_t> I32(const char* what);
  Result<std::int64_t> I64(const char* what);
  /// Read a NUL-terminated string (the NUL is consumed, not returned).
  Result<std::string_view> CString(const char* what);
  /// Read exactly `n` bytes.
  Result<Bytes> Take(std::uint64_t n, const char* what);
  /// Everything that remains.
  Bytes Rest();
  /// Fail unless every byte has been consumed.
  Status ExpectEnd(const char* what) const;

 private:
  Status Truncated(const char* what) const;

  Bytes data_;
  std::size_t pos_ = 0;
};

/// The error every codec returns for bytes that break the protocol (SPEC §7.7 PROTOCOL_ERROR).
Status ProtocolError(std::string message);

}  // namespace rapidbyte::pgwire
