// Reading a connector's config (or any request object) field by field, with errors that name
// the field and say what is allowed: "<path><key>: must be an integer between 1 and 65535".
// Each reader leaves *out unchanged when the key is absent or null (so defaults are set by
// initialising *out) and fails with sdk::ConfigError (INVALID_CONFIG, details.field) when
// the value has the wrong type or range. `path` is the prefix of nested keys, e.g.
// "policies." or "" at the top level.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/json.h"
#include "sdk/errors.h"
#include "sdk/outcome.h"

namespace rapidbyte::sdk::fields {

using protocol::Json;

/// Absent and `required`: "<path><key>: is required".
Outcome<void> String(const Json& object, std::string_view path, const char* key,
                     std::string* out, bool required = false);
Outcome<void> Int(const Json& object, std::string_view path, const char* key, std::int64_t* out,
                  std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                  std::int64_t max = std::numeric_limits<std::int64_t>::max());
Outcome<void> Bool(const Json& object, std::string_view path, const char* key, bool* out);
/// A list of strings at `value` (not a member lookup): `name` is the field's full name.
Outcome<void> StringList(const Json& value, std::string_view name, std::vector<std::string>* out);
Outcome<void> StringList(const Json& object, std::string_view path, const char* key,
                         std::vector<std::string>* out);

/// The string at object[key] mapped through `choices`.
template <typename E>
Outcome<void> Enum(const Json& object, std::string_view path, const char* key,
                   std::initializer_list<std::pair<const char*, E>> choices, E* out) {
  const Json* value = protocol::GetMember(object, key);
  if (value == nullptr || value->is_null()) return {};
  std::string allowed;
  for (const auto& [name, e] : choices) {
    if (value->is_string() && value->get<std::string>() == name) {
      *out = e;
      return {};
    }
    allowed += allowed.empty() ? name : std::string(", ") + name;
  }
  return ConfigError(std::string(path) + key,
                     protocol::Dump(*value) + " is not one of " + allowed);
}

}  // namespace rapidbyte::sdk::fields
