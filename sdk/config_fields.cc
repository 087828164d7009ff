// Field readers with errors naming the field.
#include "sdk/config_fields.h"

namespace rapidbyte::sdk::fields {
namespace {

std::string Name(std::string_view path, const char* key) { return std::string(path) + key; }

}  // namespace

Outcome<void> String(const Json& object, std::string_view path, const char* key,
                     std::string* out, bool required) {
  const Json* value = protocol::GetMember(object, key);
  if (value == nullptr || value->is_null()) {
    if (required) return ConfigError(Name(path, key), "is required");
    return {};
  }
  if (!value->is_string()) return ConfigError(Name(path, key), "must be a string");
  *out = value->get<std::string>();
  return {};
}

Outcome<void> Int(const Json& object, std::string_view path, const char* key, std::int64_t* out,
                  std::int64_t min, std::int64_t max) {
  const Json* value = protocol::GetMember(object, key);
  if (value == nullptr || value->is_null()) return {};
  const bool integral = value->is_number_integer() || value->is_number_unsigned();
  std::int64_t v = 0;
  if (integral && value->is_number_unsigned() &&
      value->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    v = std::numeric_limits<std::int64_t>::max();
  } else if (integral) {
    v = value->get<std::int64_t>();
  }
  if (!integral || v < min || v > max) {
    std::string allowed = "must be an integer";
    if (min != std::numeric_limits<std::int64_t>::min() &&
        max != std::numeric_limits<std::int64_t>::max()) {
      allowed += " between " + std::to_string(min) + " and " + std::to_string(max);
    } else if (min != std::numeric_limits<std::int64_t>::min()) {
      allowed += " >= " + std::to_string(min);
    } else if (max != std::numeric_limits<std::int64_t>::max()) {
      allowed += " <= " + std::to_string(max);
    }
    return ConfigError(Name(path, key), allowed + " (got " + protocol::Dump(*value) + ")");
  }
  *out = v;
  return {};
}

Outcome<void> Bool(const Json& object, std::string_view path, const char* key, bool* out) {
  const Json* value = protocol::GetMember(object, key);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_boolean()) return ConfigError(Name(path, key), "must be true or false");
  *out = value->get<bool>();
  return {};
}

Outcome<void> StringList(const Json& value, std::string_view name, std::vector<std::string>* out) {
  if (!value.is_array()) return ConfigError(name, "must be a list of strings");
  std::vector<std::string> items;
  for (const Json& item : value) {
    if (!item.is_string()) return ConfigError(name, "must be a list of strings");
    items.push_back(item.get<std::string>());
  }
  *out = std::move(items);
  return {};
}

Outcome<void> StringList(const Json& object, std::string_view path, const char* key,
                         std::vector<std::string>* out) {
  const Json* value = protocol::GetMember(object, key);
  if (value == nullptr || value->is_null()) return {};
  return StringList(*value, Name(path, key), out);
}

}  // namespace rapidbyte::sdk::fields
