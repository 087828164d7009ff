// The config-schema checks (SPEC §4.3 step 2). Messages name the path, the rule and the
// offending value; values from the environment are followed by their variables, and
// secrets are shown by their variables or as ***, so a message never carries a secret.
#include <algorithm>
#include <cstdint>

#include "base/strings.h"
#include "config/redact.h"
#include "plugin/manifest/json_fields_internal.h"
#include "plugin/manifest/schema_validate_internal.h"

namespace rapidbyte::plugin::manifest::internal {
namespace {

JsonType TypeOf(const Json& v) {
  if (v.is_string()) return JsonType::kString;
  if (v.is_number_integer()) return JsonType::kInteger;
  if (v.is_number()) return JsonType::kNumber;
  if (v.is_boolean()) return JsonType::kBoolean;
  if (v.is_object()) return JsonType::kObject;
  if (v.is_array()) return JsonType::kArray;
  return JsonType::kNull;
}

std::string Article(JsonType t) {
  switch (t) {
    case JsonType::kNull:
      return "null";
    case JsonType::kInteger:
    case JsonType::kArray:
    case JsonType::kObject:
      return "an " + std::string(JsonTypeName(t));
    default:
      return "a " + std::string(JsonTypeName(t));
  }
}

class Checker {
 public:
  Checker(const ValueOrigins& origins, std::vector<std::string>& problems)
      : origins_(origins), problems_(problems) {}

  void Check(const Json& value, const SchemaNode& node, const std::string& path) {
    const ValueOrigin* origin = Origin(path);
    if (origin != nullptr && origin->unresolved) return;
    const JsonType type = TypeOf(value);
    if (!node.Allows(type)) {
      std::vector<std::string> wanted;
      for (JsonType t : node.types) wanted.push_back(Article(t));
      return Problem(path, "must be " + Join(wanted, " or ") + ", got " + Shown(value, path));
    }
    if (node.enum_values) CheckEnum(value, *node.enum_values, path);
    if (node.const_value && value != *node.const_value) {
      Problem(path, "must be " + node.const_value->dump() + ", got " + Shown(value, path));
    }
    if (value.is_number()) CheckNumber(value, node, path);
    if (value.is_string()) CheckString(value.get_ref<const std::string&>(), node, path);
    if (value.is_array()) CheckArray(value, node, path);
    if (value.is_object()) CheckObject(value, node, path);
  }

 private:
  void Problem(const std::string& path, const std::string& message) {
    problems_.push_back(path + ": " + message);
  }

  const ValueOrigin* Origin(const std::string& path) const {
    const auto it = origins_.find(path);
    return it == origins_.end() ? nullptr : &it->second;
  }

  // The value as JSON text ("abc" in double quotes), followed by its variables when it
  // came from the environment; a secret as its variables only, or ***.
  std::string Shown(const Json& value, const std::string& path) const {
    if (Hidden(path)) {
      const std::string from = FromVariables(path);
      return from.empty() ? "***" : "the value of " + from;
    }
    if (value.is_object()) return WithOrigin("an object", path);
    if (value.is_array()) return WithOrigin("an array", path);
    std::string text = value.is_string() ? Json(Unhidden(value)).dump() : value.dump();
    if (text.size() > 80) text = text.substr(0, 80) + "...";
    return WithOrigin(text, path);
  }

  // The value as the subject of a message: 'text' in single quotes, like the pipeline's
  // messages, unless it must be hidden.
  std::string Subject(const Json& value, const std::string& path) const {
    if (Hidden(path) || !value.is_string()) return Shown(value, path);
    return WithOrigin(DescribeJson(Json(Unhidden(value))), path);
  }

  // A string value that is not itself secret may still be a URL holding a password.
  static std::string Unhidden(const Json& value) {
    return config::RedactUrlPassword(value.get_ref<const std::string&>());
  }

  // `text` followed by " (the value of ${A}, ${B})" for a value from the environment.
  std::string WithOrigin(const std::string& text, const std::string& path) const {
    const std::string from = FromVariables(path);
    return from.empty() ? text : text + " (the value of " + from + ")";
  }

  // "${A}, ${B}" for a value from the environment, else "".
  std::string FromVariables(const std::string& path) const {
    const ValueOrigin* origin = Origin(path);
    if (origin == nullptr) return "";
    std::vector<std::string> refs;
    for (const auto& name : origin->env_vars) refs.push_back("${" + name + "}");
    return Join(refs, ", ");
  }

  bool Hidden(const std::string& path) const {
    const ValueOrigin* origin = Origin(path);
    return origin != nullptr && origin->secret;
  }

  void CheckEnum(const Json& value, const std::vector<Json>& allowed, const std::string& path) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::vector<std::string> names;
    names.reserve(allowed.size());
    for (const Json& a : allowed) names.push_back(a.is_string() ? a.get<std::string>() : a.dump());
    std::string message = Subject(value, path) + " is not one of " + Join(names, ", ");
    if (!Hidden(path) && value.is_string()) {
      if (auto suggestion = SuggestClosest(value.get_ref<const std::string&>(), names)) {
        message += " (did you mean '" + *suggestion + "'?)";
      }
    }
    Problem(path, message);
  }

  // Negative when a < b, 0 when equal, positive when a > b; exact for integers.
  static int CompareNumbers(const Json& a, const Json& b) {
    if (a.is_number_integer() && b.is_number_integer()) {
      const bool a_negative = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
      const bool b_negative = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
      if (a_negative != b_negative) return a_negative ? -1 : 1;
      if (a_negative) return Sign(a.get<std::int64_t>(), b.get<std::int64_t>());
      return Sign(a.get<std::uint64_t>(), b.get<std::uint64_t>());
    }
    return Sign(a.get<double>(), b.get<double>());
  }

  template <typename T>
  static int Sign(T x, T y) {
    return x < y ? -1 : (x > y ? 1 : 0);
  }

  void CheckNumber(const Json& value, const SchemaNode& node, const std::string& path) {
    const std::string got = ", got " + Shown(value, path);
    if (node.minimum && CompareNumbers(value, *node.minimum) < 0) {
      Problem(path, "must be at least " + node.minimum->dump() + got);
    }
    if (node.maximum && CompareNumbers(value, *node.maximum) > 0) {
      Problem(path, "must be at most " + node.maximum->dump() + got);
    }
    if (node.exclusive_minimum && CompareNumbers(value, *node.exclusive_minimum) <= 0) {
      Problem(path, "must be greater than " + node.exclusive_minimum->dump() + got);
    }
    if (node.exclusive_maximum && CompareNumbers(value, *node.exclusive_maximum) >= 0) {
      Problem(path, "must be less than " + node.exclusive_maximum->dump() + got);
    }
  }

  void CheckString(const std::string& text, const SchemaNode& node, const std::string& path) {
    // JSON Schema counts code points: every byte that is not a UTF-8 continuation byte.
    const auto length =
        static_cast<std::uint64_t>(std::count_if(text.begin(), text.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }));
    if (node.min_length && length < *node.min_length) {
      Problem(path, "must be at least " + std::to_string(*node.min_length) +
                        " characters long, got " + std::to_string(length));
    }
    if (node.max_length && length > *node.max_length) {
      Problem(path, "must be at most " + std::to_string(*node.max_length) +
                        " characters long, got " + std::to_string(length));
    }
    if (node.pattern) {
      Result<bool> matched = node.pattern->Search(text);
      if (!matched.ok()) {
        Problem(path, matched.status().message());
      } else if (!*matched) {
        Problem(path, Subject(Json(text), path) + " does not match pattern '" +
                          node.pattern->source() + "'");
      }
    }
  }

  void CheckArray(const Json& value, const SchemaNode& node, const std::string& path) {
    const auto size = static_cast<std::uint64_t>(value.size());
    if (node.min_items && size < *node.min_items) {
      Problem(path, "must have at least " + std::to_string(*node.min_items) + " items, got " +
                        std::to_string(size));
    }
    if (node.max_items && size > *node.max_items) {
      Problem(path, "must have at most " + std::to_string(*node.max_items) + " items, got " +
                        std::to_string(size));
    }
    if (node.items) {
      for (std::size_t i = 0; i < value.size(); ++i)
        Check(value[i], *node.items, IndexPath(path, i));
    }
  }

  void CheckObject(const Json& value, const SchemaNode& node, const std::string& path) {
    for (const auto& name : node.required) {
      if (!value.contains(name) && !Unresolved(JoinPath(path, name))) {
        Problem(path, "missing required property '" + name + "'");
      }
    }
    const std::vector<std::string> declared = node.PropertyNames();
    for (const auto& [key, child] : value.items()) {
      const std::string child_path = JoinPath(path, key);
      if (const SchemaNode* schema = node.Property(key)) {
        Check(child, *schema, child_path);
      } else if (!node.additional_properties) {
        std::string message = "unknown property";
        if (auto suggestion = SuggestClosest(key, declared)) {
          message += " (did you mean '" + *suggestion + "'?)";
        }
        Problem(child_path, message);
      }
    }
  }

  bool Unresolved(const std::string& path) const {
    const ValueOrigin* origin = Origin(path);
    return origin != nullptr && origin->unresolved;
  }

  const ValueOrigins& origins_;
  std::vector<std::string>& problems_;
};

}  // namespace

void ValidateJson(const Json& value, const SchemaNode& node, const std::string& path,
                  const ValueOrigins& origins, std::vector<std::string>& problems) {
  Checker(origins, problems).Check(value, node, path);
}

}  // namespace rapidbyte::plugin::manifest::internal
