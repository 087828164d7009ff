// JsonObjectReader: uniform wording of the manifest's type and membership messages.
#include <algorithm>
#include <limits>

#include "base/strings.h"
#include "plugin/manifest/json_fields_internal.h"

namespace rapidbyte::plugin::manifest::internal {

std::string JoinPath(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string IndexPath(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string DescribeJson(const Json& value) {
  constexpr std::size_t kMaxShown = 80;
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.is_string() ? value.get_ref<const std::string&>() : value.dump();
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return value.is_string() ? "'" + text + "'" : text;
}

std::string JsonKindName(const Json& value) {
  if (value.is_string()) return "a string";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_boolean()) return "a boolean";
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  return "null";
}

JsonObjectReader::JsonObjectReader(const Json* object, std::string path,
                                   std::vector<std::string> known_keys,
                                   std::vector<std::string>& problems)
    : object_(object), path_(std::move(path)), known_(std::move(known_keys)), problems_(problems) {
  if (object_ != nullptr && !object_->is_object()) {
    Problem(path_, "expected an object, got " + DescribeJson(*object_));
    object_ = nullptr;
  }
}

const Json* JsonObjectReader::Get(std::string_view key) const {
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

std::optional<std::string> JsonObjectReader::String(std::string_view key, bool required) {
  const Json* v = Get(key);
  if (v == nullptr) {
    if (required && object_ != nullptr) Problem(JoinPath(path_, key), "required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    Problem(JoinPath(path_, key), "expected a string, got " + DescribeJson(*v));
    return std::nullopt;
  }
  return v->get_ref<const std::string&>();
}

std::optional<bool> JsonObjectReader::Bool(std::string_view key) {
  const Json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    Problem(JoinPath(path_, key), "expected true or false, got " + DescribeJson(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> JsonObjectReader::Int(std::string_view key, std::int64_t min,
                                                  std::int64_t max) {
  const Json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  const std::string path = JoinPath(path_, key);
  const bool fits = v->is_number_integer() &&
                    !(v->is_number_unsigned() &&
                      v->get<std::uint64_t>() >
                          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!fits) {
    Problem(path, "expected an integer, got " + DescribeJson(*v));
    return std::nullopt;
  }
  const auto n = v->get<std::int64_t>();
  if (n < min) {
    Problem(path, "must be at least " + std::to_string(min) + ", got " + std::to_string(n));
    return std::nullopt;
  }
  if (n > max) {
    Problem(path, "must be at most " + std::to_string(max) + ", got " + std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<std::string>> JsonObjectReader::StringList(
    std::string_view key, const std::vector<std::string>& allowed) {
  const Json* v = Get(key);
  if (v == nullptr) return std::vector<std::string>{};
  const std::string path = JoinPath(path_, key);
  if (!v->is_array()) {
    Problem(path, "expected an array of strings, got " + DescribeJson(*v));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    const std::string item_path = IndexPath(path, i);
    if (!item.is_string()) {
      Problem(item_path, "expected a string, got " + DescribeJson(item));
      ok = false;
      continue;
    }
    const auto& text = item.get_ref<const std::string&>();
    if (!allowed.empty() && !CheckOneOf(text, allowed, item_path, problems_)) {
      ok = false;
      continue;
    }
    if (std::find(out.begin(), out.end(), text) != out.end()) {
      Problem(item_path, "duplicate '" + text + "'");
      ok = false;
      continue;
    }
    out.push_back(text);
  }
  if (!ok) return std::nullopt;
  return out;
}

void JsonObjectReader::ReportUnknownKeys() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    if (key.rfind("x-", 0) == 0) continue;
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string message = "unknown key";
    if (auto suggestion = SuggestClosest(key, known_)) {
      message += " (did you mean '" + *suggestion + "'?)";
    }
    Problem(JoinPath(path_, key), message);
  }
}

bool CheckOneOf(const std::string& value, const std::vector<std::string>& allowed,
                const std::string& path, std::vector<std::string>& problems) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return true;
  problems.push_back(path + ": '" + value + "' is not one of " + Join(allowed, ", "));
  return false;
}

}  // namespace rapidbyte::plugin::manifest::internal
