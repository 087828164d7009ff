// Identifier checks and derived names.
#include "connectors/postgres/destination/names.h"

#include "connectors/postgres/common/pg_errors.h"
#include "pgwire/sha256.h"

namespace rapidbyte::pgdest {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;

// `table` + `suffix`, or the hashed short form when that would be too long.
std::string Derived(std::string_view table, std::string_view suffix) {
  std::string name = std::string(table) + std::string(suffix);
  if (name.size() <= kMaxIdentifierBytes) return name;
  const pgwire::Sha256Digest digest = pgwire::Sha256::Hash(table);
  const std::string hex = pgwire::HexEncode(std::span<const std::uint8_t>(digest.data(), 4));
  return std::string(table.substr(0, 42)) + "_" + hex + std::string(suffix);
}

}  // namespace

Status CheckIdentifier(std::string_view what, std::string_view name) {
  if (name.empty() || name.size() > kMaxIdentifierBytes ||
      name.find('\0') != std::string_view::npos) {
    std::string shown(name.substr(0, 80));
    for (char& c : shown) c = c == '\0' ? '?' : c;
    return pgconn::Fail(pgconn::ErrorCategory::kConfig, "INVALID_IDENTIFIER",
                        std::string(what) + " name '" + shown + "' (" +
                            std::to_string(name.size()) +
                            " bytes) is not a valid PostgreSQL identifier: it must be 1-63 "
                            "bytes without NUL");
  }
  return Status::OK();
}

std::string StagingTableName(std::string_view table) { return Derived(table, "__rb_staging"); }

std::string PrimaryKeyName(std::string_view table) { return Derived(table, "_pkey"); }

}  // namespace rapidbyte::pgdest
