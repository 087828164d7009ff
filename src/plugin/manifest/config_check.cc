// Connector config typing (YAML Value -> JSON by the schema), defaults, secrets, and the
// hand-off to the schema checks.
#include "plugin/manifest/config_check.h"

#include <algorithm>
#include <cstdlib>

#include "config/redact.h"
#include "config/scalar.h"
#include "plugin/manifest/json_fields_internal.h"
#include "plugin/manifest/schema_validate_internal.h"

namespace rapidbyte::plugin::manifest {
namespace {

using config::ScalarType;
using config::Value;
using internal::JoinPath;
using internal::Json;

class Typer {
 public:
  explicit Typer(ConfigCheck& out) : out_(out) {}

  const internal::ValueOrigins& origins() const { return origins_; }

  Json Type(const Value& value, const SchemaNode* node, const std::string& path, bool secret) {
    switch (value.kind()) {
      case Value::Kind::kNull:
        return nullptr;
      case Value::Kind::kScalar:
        return Scalar(value, node, path, secret);
      case Value::Kind::kList: {
        Json out = Json::array();
        const SchemaNode* items = node != nullptr ? node->items.get() : nullptr;
        for (std::size_t i = 0; i < value.items().size(); ++i) {
          out.push_back(Type(value.items()[i], items, internal::IndexPath(path, i), secret));
        }
        return out;
      }
      case Value::Kind::kMap:
        break;
    }
    Json out = Json::object();
    for (const auto& entry : value.entries()) {
      if (entry.key.rfind("x-", 0) == 0) continue;
      const SchemaNode* child = node != nullptr ? node->Property(entry.key) : nullptr;
      const bool child_secret =
          secret || config::IsSecretKey(entry.key) || (child != nullptr && child->secret);
      out[entry.key] = Type(entry.value, child, JoinPath(path, entry.key), child_secret);
    }
    if (node != nullptr) ApplyDefaults(out, *node, secret);
    return out;
  }

 private:
  Json Scalar(const Value& value, const SchemaNode* node, const std::string& path, bool secret) {
    if (value.unresolved()) {
      origins_[path].unresolved = true;
      return nullptr;
    }
    // A value from the environment is named by its variables in messages; only the key,
    // x-secret or a URL password make it secret (SPEC §10.4 as amended by #22).
    if (value.from_env() || secret) {
      internal::ValueOrigin& origin = origins_[path];
      origin.env_vars = value.env_vars();
      origin.secret = secret;
      if (secret) AddSecret(value.text());
    }
    if (auto password = config::UrlPassword(value.text())) AddSecret(*password);
    if (!value.plain()) return value.text();
    Json typed = CoreSchema(value.text());
    const bool keep_text = node != nullptr && node->Allows(JsonType::kString) &&
                           !node->types.empty() && !typed.is_string() &&
                           !node->Allows(TypeOf(typed)) &&
                           (!typed.is_null() || value.from_env() || value.substituted());
    return keep_text ? Json(value.text()) : typed;
  }

  static JsonType TypeOf(const Json& v) {
    if (v.is_null()) return JsonType::kNull;
    if (v.is_boolean()) return JsonType::kBoolean;
    if (v.is_number_integer()) return JsonType::kInteger;
    if (v.is_number()) return JsonType::kNumber;
    return JsonType::kString;
  }

  // The YAML 1.2 core schema on plain text. Special floats (.inf, .nan) have no JSON form
  // and stay strings; integers beyond int64 become floats.
  static Json CoreSchema(const std::string& text) {
    switch (config::ResolvePlainScalar(text)) {
      case ScalarType::kNull:
        return nullptr;
      case ScalarType::kBool:
        return *config::ParseCoreBool(text);
      case ScalarType::kInt:
        if (auto n = config::ParseCoreInt(text)) return *n;
        return std::strtod(text.c_str(), nullptr);
      case ScalarType::kFloat:
        if (text.find_first_of("iInN") != std::string::npos) return text;
        return std::strtod(text.c_str(), nullptr);
      case ScalarType::kString:
        break;
    }
    return text;
  }

  // Insert the defaults of absent properties, then fill defaults inside inserted objects.
  void ApplyDefaults(Json& object, const SchemaNode& node, bool secret) {
    for (const auto& property : node.properties) {
      const SchemaNode& child = *property.schema;
      if (object.contains(property.name) || !child.default_value) continue;
      Json value = *child.default_value;
      if (value.is_object()) ApplyDefaults(value, child, secret);
      if (secret || child.secret || config::IsSecretKey(property.name)) AddDefaultSecret(value);
      object[property.name] = std::move(value);
    }
  }

  void AddDefaultSecret(const Json& value) {
    if (value.is_string()) return AddSecret(value.get<std::string>());
    if (value.is_structured()) {
      for (const auto& item : value) AddDefaultSecret(item);
    } else if (!value.is_null()) {
      AddSecret(value.dump());
    }
  }

  void AddSecret(const std::string& secret) {
    if (secret.empty()) return;
    if (std::find(out_.secrets.begin(), out_.secrets.end(), secret) != out_.secrets.end()) return;
    out_.secrets.push_back(secret);
  }

  ConfigCheck& out_;
  internal::ValueOrigins origins_;
};

}  // namespace

ConfigCheck CheckConnectorConfig(const SchemaNode* schema, const config::Value& config,
                                 const std::string& path) {
  ConfigCheck out;
  if (!config.is_map() && !config.is_null()) {
    out.problems.push_back(path + ": expected a map, got " + config.DescribeKind());
    return out;
  }
  Typer typer(out);
  Json typed = config.is_map() ? typer.Type(config, schema, path, false) : Json::object();
  if (schema == nullptr) {
    for (const auto& [key, value] : typed.items()) {
      out.problems.push_back(JoinPath(path, key) +
                             ": unknown property (the connector has no config_schema, so its "
                             "config must be empty)");
    }
  } else {
    if (config.is_null()) typed = typer.Type(Value::Map(), schema, path, false);
    internal::ValidateJson(typed, *schema, path, typer.origins(), out.problems);
  }
  out.config = std::move(typed);
  return out;
}

}  // namespace rapidbyte::plugin::manifest
