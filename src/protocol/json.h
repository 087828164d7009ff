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

/// Parse text; nullopt when it is not JSON.
std::optional<Json> ParseJson(std::string_view text);
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
