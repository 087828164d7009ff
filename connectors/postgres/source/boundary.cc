// Key hashes and the boundary tracker.
#include "connectors/postgres/source/boundary.h"

#include "pgwire/sha256.h"

namespace rapidbyte::pgsource {
namespace {

std::string_view AsText(pgwire::Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace

std::string KeyHash(const pgwire::CopyBinaryDecoder& decoder, const std::vector<int>& key_fields) {
  pgwire::Sha256 sha;
  for (int i : key_fields) {
    const std::optional<pgwire::Bytes> field = decoder.field(i);
    const std::uint32_t len = field ? static_cast<std::uint32_t>(field->size()) : 0xFFFFFFFFu;
    const std::uint8_t prefix[4] = {static_cast<std::uint8_t>(len >> 24),
                                    static_cast<std::uint8_t>(len >> 16),
                                    static_cast<std::uint8_t>(len >> 8),
                                    static_cast<std::uint8_t>(len)};
    sha.Update(std::span<const std::uint8_t>(prefix, 4));
    if (field) sha.Update(*field);
  }
  const pgwire::Sha256Digest digest = sha.Finish();
  return pgwire::HexEncode(std::span<const std::uint8_t>(digest.data(), 16));
}

BoundaryTracker::BoundaryTracker(std::optional<std::string> stored_wire,
                                 std::vector<std::string> stored_hashes, bool stored_overflow)
    : stored_wire_(std::move(stored_wire)),
      stored_hashes_(stored_hashes.begin(), stored_hashes.end()),
      stored_overflow_(stored_overflow) {}

bool BoundaryTracker::AlreadyDelivered(pgwire::Bytes cursor, const std::string& hash) const {
  // After an overflow the stored hashes are incomplete: re-deliver every row of that value.
  if (!stored_wire_ || stored_overflow_ || AsText(cursor) != *stored_wire_) return false;
  return stored_hashes_.count(hash) != 0;
}

bool BoundaryTracker::Delivered(pgwire::Bytes cursor, std::string hash) {
  if (!current_wire_ || AsText(cursor) != *current_wire_) {
    // A new cursor value. Rows are read in cursor order, so the previous value's hashes are
    // no longer needed; the stored boundary still covers the stored value.
    current_wire_ = std::string(AsText(cursor));
    current_hashes_.clear();
    current_overflow_ = false;
    if (stored_wire_ && *stored_wire_ == *current_wire_) {
      current_overflow_ = stored_overflow_;
      if (!current_overflow_) current_hashes_.assign(stored_hashes_.begin(), stored_hashes_.end());
    }
  }
  if (current_overflow_) return false;
  current_hashes_.push_back(std::move(hash));
  if (current_hashes_.size() > kMaxBoundaryHashes) {
    current_overflow_ = true;
    current_hashes_.clear();
    current_hashes_.shrink_to_fit();
    return true;
  }
  return false;
}

protocol::Json BoundaryTracker::ToJson() const {
  if (current_overflow_) return protocol::Json{{"overflow", true}};
  return protocol::Json{{"hashes", current_hashes_}};
}

}  // namespace rapidbyte::pgsource
