// The JSON library for protocol messages, configured the same way on host and guest:
// nlohmann::json without exceptions on the guest (JSON_NOEXCEPTION), and on both sides used
// only through non-throwing calls (parse with allow_exceptions=false, typed lookups below),
// because connector output is untrusted input on the host.
#pragma once

#if defined(__wasm__) && !defined(JSON_NOEXCEPTION)
#define JSON_NOEXCEPTION 1
#endif
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapidbyte::protocol {

using Json = nlohmann::json;

/// Deepest nesting of arrays and objects ParseJson accepts. Every JSON document a connector
/// hands the host goes through ParseJson, and copying, comparing and serialising a document
/// recurse once per level: the limit keeps a hostile document from overflowing the stack.
/// Protocol messages nest a few levels; 64 leaves room for connector-defined `details`.
inline constexpr std::size_t kMaxJsonDepth = 64;
/// Largest JSON document the host accepts from a connector (RB_MAX_JSON_BYTES of the ABI).
inline constexpr std::size_t kMaxJsonBytes = std::size_t{16} << 20;

/// Parse untrusted text without recursion: nullopt when it is not one JSON document, nests
/// deeper than kMaxJsonDepth or is larger than kMaxJsonBytes. `why`, when given, receives
/// the reason ("nested deeper than 64 levels (the limit for connector JSON)", ...).
std::optional<Json> ParseJson(std::string_view text, std::string* why = nullptr);
/// Serialise compactly; invalid UTF-8 in strings is replaced, never thrown on.
std::string Dump(const Json& value);

/// Typed, non-throwing field access. Each returns false when the key is absent or holds
/// another type; `out` is left unchanged then.
bool GetString(const Json& object, std::string_view key, std::string* out);
bool GetBool(const Json& object, std::string_view key, bool* out);
bool GetInt(const Json& object, std::string_view key, std::int64_t* out);
bool GetUint(const Json& object, std::string_view key, std::uint64_t* out);
bool GetDouble(const Json& object, std::string_view key, double* out);
/// The member, or nullptr when absent (or `object` is not an object).
const Json* GetMember(const Json& object, std::string_view key);

}  // namespace rapidbyte::protocol
