// Non-throwing JSON helpers.
#include "protocol/json.h"

#include "protocol/json_sax.h"

namespace rapidbyte::protocol {

std::optional<Json> ParseJson(std::string_view text, std::string* why) {
  if (text.size() > kMaxJsonBytes) {
    if (why != nullptr) {
      *why = std::to_string(text.size()) + " bytes, more than the " +
             std::to_string(kMaxJsonBytes >> 20) + " MiB limit for connector JSON";
    }
    return std::nullopt;
  }
  Json doc;
  DepthLimitedSax sax(doc, kMaxJsonDepth, "the limit for connector JSON");
  const bool ok = Json::sax_parse(text.begin(), text.end(), &sax);
  if (!ok || sax.is_errored()) {
    if (why != nullptr) *why = sax.error().empty() ? "not valid JSON" : sax.error();
    // A partly built deep tree is released level by level here: nlohmann's destructor
    // keeps its own stack, and the depth check bounded what was built anyway.
    return std::nullopt;
  }
  return doc;
}

std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json* GetMember(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool GetString(const Json& object, std::string_view key, std::string* out) {
  const Json* v = GetMember(object, key);
  if (v == nullptr || !v->is_string()) return false;
  *out = v->get_ref<const std::string&>();
  return true;
}

bool GetBool(const Json& object, std::string_view key, bool* out) {
  const Json* v = GetMember(object, key);
  if (v == nullptr || !v->is_boolean()) return false;
  *out = v->get<bool>();
  return true;
}

bool GetInt(const Json& object, std::string_view key, std::int64_t* out) {
  const Json* v = GetMember(object, key);
  if (v == nullptr) return false;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return false;
    }
    *out = v->get<std::int64_t>();
    return true;
  }
  return false;
}

bool GetUint(const Json& object, std::string_view key, std::uint64_t* out) {
  const Json* v = GetMember(object, key);
  if (v == nullptr || !v->is_number_integer()) return false;
  if (v->is_number_unsigned()) {
    *out = v->get<std::uint64_t>();
    return true;
  }
  const std::int64_t s = v->get<std::int64_t>();
  if (s < 0) return false;
  *out = static_cast<std::uint64_t>(s);
  return true;
}

bool GetDouble(const Json& object, std::string_view key, double* out) {
  const Json* v = GetMember(object, key);
  if (v == nullptr || !v->is_number()) return false;
  *out = v->get<double>();
  return true;
}

}  // namespace rapidbyte::protocol
