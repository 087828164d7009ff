// Compiling a manifest's config_schema into SchemaNodes; every keyword outside the
// supported subset, and every malformed keyword value, is a manifest problem.
#include <algorithm>
#include <limits>

#include "base/strings.h"
#include "plugin/manifest/json_fields_internal.h"
#include "plugin/manifest/schema.h"
#include "plugin/manifest/schema_validate_internal.h"

namespace rapidbyte::plugin::manifest {
namespace {

using internal::DescribeJson;
using internal::JoinPath;
using internal::Json;

const std::vector<std::string> kTypeNames = {"string", "integer", "number", "boolean",
                                             "object", "array",   "null"};

class Compiler {
 public:
  explicit Compiler(std::vector<std::string>& problems) : problems_(problems) {}

  std::shared_ptr<SchemaNode> Node(const Json& json, const std::string& path) {
    if (!json.is_object()) {
      Problem(path, "expected a schema object, got " + DescribeJson(json));
      return nullptr;
    }
    const std::size_t problems_before = problems_.size();
    auto node = std::make_shared<SchemaNode>();
    for (const auto& [key, value] : json.items()) {
      Keyword(*node, key, value, path);
    }
    if (node->default_value && problems_.size() == problems_before) {
      internal::ValidateJson(*node->default_value, *node, JoinPath(path, "default"), {}, problems_);
    }
    return node;
  }

 private:
  void Problem(const std::string& path, const std::string& message) {
    problems_.push_back(path + ": " + message);
  }

  void Keyword(SchemaNode& node, const std::string& key, const Json& value,
               const std::string& path) {
    const std::string at = JoinPath(path, key);
    if (key == "type") return Types(node, value, at);
    if (key == "properties") return Properties(node, value, path);
    if (key == "required") return Required(node, value, at);
    if (key == "items") return Items(node, value, at);
    if (key == "pattern") return PatternKeyword(node, value, at);
    if (key == "enum") {
      if (!value.is_array() || value.empty()) return Problem(at, "must be a non-empty array");
      node.enum_values = std::vector<Json>(value.begin(), value.end());
      return;
    }
    if (key == "const") return void(node.const_value = value);
    if (key == "default") return void(node.default_value = value);
    if (key == "minimum") return Number(node.minimum, value, at);
    if (key == "maximum") return Number(node.maximum, value, at);
    if (key == "exclusiveMinimum") return Number(node.exclusive_minimum, value, at);
    if (key == "exclusiveMaximum") return Number(node.exclusive_maximum, value, at);
    if (key == "minLength") return Count(node.min_length, value, at);
    if (key == "maxLength") return Count(node.max_length, value, at);
    if (key == "minItems") return Count(node.min_items, value, at);
    if (key == "maxItems") return Count(node.max_items, value, at);
    if (key == "title") return Text(node.title, value, at);
    if (key == "description") return Text(node.description, value, at);
    if (key == "format") return Text(node.format, value, at);
    if (key == "additionalProperties" || key == "x-secret") {
      if (!value.is_boolean()) {
        return Problem(at, "expected true or false, got " + DescribeJson(value) +
                               (key == "x-secret" ? "" : " (schemas here are not supported)"));
      }
      (key == "x-secret" ? node.secret : node.additional_properties) = value.get<bool>();
      return;
    }
    if (key.rfind("x-", 0) == 0) return;  // extensions are annotations, never rules
    std::string message = "unsupported keyword '" + key + "'";
    if (auto suggestion = SuggestClosest(key, SupportedSchemaKeywords())) {
      message += " (did you mean '" + *suggestion + "'?)";
    }
    Problem(path, message);
  }

  void Types(SchemaNode& node, const Json& value, const std::string& at) {
    std::vector<Json> names;
    if (value.is_string()) {
      names.push_back(value);
    } else if (value.is_array() && !value.empty()) {
      names.assign(value.begin(), value.end());
    } else {
      return Problem(
          at, "expected a type name or a non-empty array of them, got " + DescribeJson(value));
    }
    for (const Json& name : names) {
      const auto it = name.is_string() ? std::find(kTypeNames.begin(), kTypeNames.end(),
                                                   name.get_ref<const std::string&>())
                                       : kTypeNames.end();
      if (it == kTypeNames.end()) {
        return Problem(at, DescribeJson(name) + " is not one of " + Join(kTypeNames, ", "));
      }
      const auto type = static_cast<JsonType>(it - kTypeNames.begin());
      if (std::find(node.types.begin(), node.types.end(), type) != node.types.end()) {
        return Problem(at, "duplicate type '" + *it + "'");
      }
      node.types.push_back(type);
    }
  }

  void Properties(SchemaNode& node, const Json& value, const std::string& path) {
    const std::string at = JoinPath(path, "properties");
    if (!value.is_object()) return Problem(at, "expected an object, got " + DescribeJson(value));
    for (const auto& [name, schema] : value.items()) {
      auto child = Node(schema, JoinPath(at, name));
      if (child) node.properties.push_back({name, std::move(child)});
    }
  }

  void Required(SchemaNode& node, const Json& value, const std::string& at) {
    if (!value.is_array()) {
      return Problem(at, "expected an array of property names, got " + DescribeJson(value));
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const Json& name = value[i];
      if (!name.is_string()) {
        Problem(internal::IndexPath(at, i), "expected a string, got " + DescribeJson(name));
        continue;
      }
      const auto& text = name.get_ref<const std::string&>();
      if (std::find(node.required.begin(), node.required.end(), text) != node.required.end()) {
        Problem(internal::IndexPath(at, i), "duplicate '" + text + "'");
        continue;
      }
      node.required.push_back(text);
    }
  }

  void Items(SchemaNode& node, const Json& value, const std::string& at) {
    if (value.is_array()) {
      return Problem(at, "an array of schemas (tuple validation) is not supported; use one schema");
    }
    node.items = Node(value, at);
  }

  void PatternKeyword(SchemaNode& node, const Json& value, const std::string& at) {
    if (!value.is_string()) return Problem(at, "expected a string, got " + DescribeJson(value));
    auto compiled = Pattern::Compile(value.get_ref<const std::string&>());
    if (!compiled.ok()) return Problem(at, compiled.status().message());
    node.pattern = compiled.MoveValueUnsafe();
  }

  void Number(std::optional<Json>& slot, const Json& value, const std::string& at) {
    if (!value.is_number()) return Problem(at, "expected a number, got " + DescribeJson(value));
    slot = value;
  }

  void Count(std::optional<std::uint64_t>& slot, const Json& value, const std::string& at) {
    if (!value.is_number_unsigned() &&
        !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
      return Problem(at, "expected a non-negative integer, got " + DescribeJson(value));
    }
    slot = value.get<std::uint64_t>();
  }

  void Text(std::string& slot, const Json& value, const std::string& at) {
    if (!value.is_string()) return Problem(at, "expected a string, got " + DescribeJson(value));
    slot = value.get_ref<const std::string&>();
  }

  std::vector<std::string>& problems_;
};

}  // namespace

std::string_view JsonTypeName(JsonType type) { return kTypeNames[static_cast<std::size_t>(type)]; }

const SchemaNode* SchemaNode::Property(std::string_view name) const {
  for (const auto& property : properties) {
    if (property.name == name) return property.schema.get();
  }
  return nullptr;
}

bool SchemaNode::Allows(JsonType type) const {
  if (types.empty()) return true;
  const auto has = [this](JsonType t) {
    return std::find(types.begin(), types.end(), t) != types.end();
  };
  return has(type) || (type == JsonType::kInteger && has(JsonType::kNumber));
}

std::vector<std::string> SchemaNode::PropertyNames() const {
  std::vector<std::string> names;
  for (const auto& property : properties) names.push_back(property.name);
  return names;
}

const std::vector<std::string>& SupportedSchemaKeywords() {
  static const std::vector<std::string> kKeywords = {"type",
                                                     "properties",
                                                     "required",
                                                     "additionalProperties",
                                                     "enum",
                                                     "const",
                                                     "default",
                                                     "minimum",
                                                     "maximum",
                                                     "exclusiveMinimum",
                                                     "exclusiveMaximum",
                                                     "minLength",
                                                     "maxLength",
                                                     "pattern",
                                                     "items",
                                                     "minItems",
                                                     "maxItems",
                                                     "title",
                                                     "description",
                                                     "format",
                                                     "x-secret"};
  return kKeywords;
}

std::shared_ptr<const SchemaNode> CompileSchema(const Json& json, const std::string& path,
                                                std::vector<std::string>& problems) {
  const std::size_t before = problems.size();
  Compiler compiler(problems);
  std::shared_ptr<SchemaNode> root = compiler.Node(json, path);
  if (root && !root->types.empty() &&
      (root->types.size() != 1 || root->types[0] != JsonType::kObject)) {
    problems.push_back(JoinPath(path, "type") + ": must be 'object' (a connector config is a map)");
  }
  if (problems.size() != before) return nullptr;
  return root;
}

}  // namespace rapidbyte::plugin::manifest
