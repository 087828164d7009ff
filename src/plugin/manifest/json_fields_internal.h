// Typed, non-throwing access to the members of one JSON object of a manifest, reporting
// "path: message" problems the way config::FieldReader does for the pipeline file.
// Folder-private: used by the manifest and config-schema parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rapidbyte::plugin::manifest::internal {

using Json = nlohmann::json;

/// "a.b" from "a" and "b"; "b" when the parent is empty.
std::string JoinPath(const std::string& parent, std::string_view key);
/// "a[3]".
std::string IndexPath(const std::string& parent, std::size_t index);

/// How a message shows a JSON value: 'text' for strings, the JSON text for numbers,
/// booleans and null, "an object" / "an array" for containers. Long text is cut.
std::string DescribeJson(const Json& value);

/// "a string", "an integer", "a number", "a boolean", "an object", "an array", "null".
std::string JsonKindName(const Json& value);

class JsonObjectReader {
 public:
  /// `object` may be null (absent: every member reads as absent). A non-object is reported
  /// once as "expected an object".
  JsonObjectReader(const Json* object, std::string path, std::vector<std::string> known_keys,
                   std::vector<std::string>& problems);

  const std::string& path() const { return path_; }
  bool valid() const { return object_ != nullptr; }
  /// A known member, or nullptr when absent.
  const Json* Get(std::string_view key) const;

  std::optional<std::string> String(std::string_view key, bool required);
  std::optional<bool> Bool(std::string_view key);
  /// An integer in [min, max].
  std::optional<std::int64_t> Int(std::string_view key, std::int64_t min, std::int64_t max);
  /// A list of strings (each checked against `allowed` when that is not empty); duplicates
  /// are reported. Absent reads as an empty list.
  std::optional<std::vector<std::string>> StringList(std::string_view key,
                                                     const std::vector<std::string>& allowed);

  /// Report every member that is neither known nor an x- extension.
  void ReportUnknownKeys();

  void Problem(const std::string& path, const std::string& message) {
    problems_.push_back(path + ": " + message);
  }

 private:
  const Json* object_;
  std::string path_;
  std::vector<std::string> known_;
  std::vector<std::string>& problems_;
};

/// Report `value` against `allowed` as "'x' is not one of a, b";
/// true when it is one of them.
bool CheckOneOf(const std::string& value, const std::vector<std::string>& allowed,
                const std::string& path, std::vector<std::string>& problems);

}  // namespace rapidbyte::plugin::manifest::internal
