// The compiled form of a connector's `config_schema` (SPEC §4.3): the JSON Schema draft-7
// subset rapidbyte enforces. Compiling rejects every keyword outside the subset, so no
// connector author believes an unchecked rule is enforced.
//
// Immutable once compiled; shared between copies of a Manifest.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/manifest/pattern.h"

namespace rapidbyte::plugin::manifest {

enum class JsonType : unsigned char {
  kString,
  kInteger,
  kNumber,
  kBoolean,
  kObject,
  kArray,
  kNull
};

/// "string", "integer", "number", "boolean", "object", "array", "null".
std::string_view JsonTypeName(JsonType type);

struct SchemaNode;

struct SchemaProperty {
  std::string name;
  std::shared_ptr<const SchemaNode> schema;
};

struct SchemaNode {
  std::vector<JsonType> types;  // empty: any type
  std::vector<SchemaProperty> properties;
  std::vector<std::string> required;
  bool additional_properties = true;
  std::optional<std::vector<nlohmann::json>> enum_values;
  std::optional<nlohmann::json> const_value;
  std::optional<nlohmann::json> default_value;
  std::optional<nlohmann::json> minimum;
  std::optional<nlohmann::json> maximum;
  std::optional<nlohmann::json> exclusive_minimum;
  std::optional<nlohmann::json> exclusive_maximum;
  std::optional<std::uint64_t> min_length;  // in Unicode code points
  std::optional<std::uint64_t> max_length;
  std::optional<std::uint64_t> min_items;
  std::optional<std::uint64_t> max_items;
  std::shared_ptr<const Pattern> pattern;
  std::shared_ptr<const SchemaNode> items;
  bool secret = false;  // x-secret
  std::string title;
  std::string description;
  std::string format;  // informational only

  /// The schema of a declared property, or nullptr.
  const SchemaNode* Property(std::string_view name) const;
  /// True when `type` is allowed (any type when `types` is empty). "number" allows integers.
  bool Allows(JsonType type) const;
  /// Names of the declared properties, in manifest order.
  std::vector<std::string> PropertyNames() const;
};

/// The supported keywords, in SPEC order.
const std::vector<std::string>& SupportedSchemaKeywords();

/// Compile the schema `json` found at `path` ("config_schema"). Every problem is appended to
/// `problems` as "path: message" (e.g. "config_schema.properties.port: unsupported keyword
/// 'multipleOf'"), and nullptr is returned when there is any. Defaults are checked against
/// their own schema. The root must be an object schema.
std::shared_ptr<const SchemaNode> CompileSchema(const nlohmann::json& json, const std::string& path,
                                                std::vector<std::string>& problems);

}  // namespace rapidbyte::plugin::manifest
