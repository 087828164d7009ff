// Checking a typed JSON value against a compiled schema node, reporting every violation
// with its path. Folder-private: used for connector configs (config_check.cc) and for the
// schema's own `default` values (schema_compile.cc).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/manifest/schema.h"

namespace rapidbyte::plugin::manifest::internal {

/// Where a scalar of the config came from, keyed by its path ("source.config.port").
/// Values from the environment are shown with their variables ("abc" (the value of
/// ${X})); secrets never: as *** or, from the environment, by their variables only.
/// Unresolved values (a missing variable, already reported) are not checked.
struct ValueOrigin {
  std::vector<std::string> env_vars;
  bool secret = false;
  bool unresolved = false;
};
using ValueOrigins = std::map<std::string, ValueOrigin>;

/// Append a "path: message" line to `problems` for every violation of `node` by `value`.
void ValidateJson(const nlohmann::json& value, const SchemaNode& node, const std::string& path,
                  const ValueOrigins& origins, std::vector<std::string>& problems);

}  // namespace rapidbyte::plugin::manifest::internal
