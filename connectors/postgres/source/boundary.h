// The incremental boundary (SPEC §7.3 steps 6 and 8): reads are inclusive (`cursor >=
// stored`), so rows whose cursor equals the stored value come back; those whose key hash the
// previous run recorded were already delivered and are dropped. While reading, the tracker
// collects the key hashes of every row delivered with the current (latest) cursor value, so
// each checkpoint can carry them. Portable; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "pgwire/copy_decoder.h"
#include "protocol/json.h"

namespace rapidbyte::pgsource {

/// More hashes than this for one cursor value: the boundary becomes {"overflow": true}.
inline constexpr std::size_t kMaxBoundaryHashes = 10'000;

/// The key hash of the peeked tuple: the first 16 bytes (32 hex digits) of SHA-256 over the
/// fields `key_fields` (indices into the COPY tuple) in order, each prefixed by its 4-byte
/// big-endian length as received (-1 for NULL, then no bytes).
std::string KeyHash(const pgwire::CopyBinaryDecoder& decoder, const std::vector<int>& key_fields);

class BoundaryTracker {
 public:
  /// `stored_wire`: the stored last_value as the server sends it in binary (nullopt: no
  /// stored cursor); `stored_hashes` / `stored_overflow`: the stored boundary.
  BoundaryTracker(std::optional<std::string> stored_wire, std::vector<std::string> stored_hashes,
                  bool stored_overflow);

  /// True when a row with this cursor (wire bytes) and key hash was delivered by an earlier run.
  bool AlreadyDelivered(pgwire::Bytes cursor, const std::string& hash) const;
  /// Record a row delivered now. Returns true when this call made the boundary overflow.
  bool Delivered(pgwire::Bytes cursor, std::string hash);

  /// The latest delivered cursor value as received (empty before the first row).
  pgwire::Bytes current_wire() const {
    if (!current_wire_) return {};
    return {reinterpret_cast<const std::uint8_t*>(current_wire_->data()), current_wire_->size()};
  }
  /// The boundary of the latest cursor value: {"hashes": [...]} or {"overflow": true}.
  protocol::Json ToJson() const;

 private:
  std::optional<std::string> stored_wire_;
  std::unordered_set<std::string> stored_hashes_;
  bool stored_overflow_ = false;
  std::optional<std::string> current_wire_;
  std::vector<std::string> current_hashes_;
  bool current_overflow_ = false;
};

}  // namespace rapidbyte::pgsource
