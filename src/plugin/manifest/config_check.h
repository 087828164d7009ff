// Validating a connector's `config` block from the pipeline against the connector's
// config_schema (SPEC §4.3): apply defaults, type the YAML scalars, report every violation,
// and produce the completed JSON the connector receives, plus the secrets to redact.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/value.h"
#include "plugin/manifest/schema.h"

namespace rapidbyte::plugin::manifest {

struct ConfigCheck {
  /// The completed config (defaults applied, scalars typed); meaningful when ok().
  nlohmann::json config = nlohmann::json::object();
  /// Values never to print (SPEC §10.4): x-secret properties, secret-named keys and URL
  /// passwords, wherever they came from (a value from the environment is not secret for
  /// that alone). Empty strings are left out.
  std::vector<std::string> secrets;
  /// "path: message" lines, e.g. "source.config.port: must be at most 65535, got 70000".
  std::vector<std::string> problems;

  bool ok() const { return problems.empty(); }
};

/// Check `config` (a map) found at `path` ("source.config") against `schema`; a null
/// schema means the connector takes no config, so the map must be empty. Never throws.
///
/// Typing: a quoted scalar is a string; a plain one is typed by the YAML core schema
/// (null, bool, int, float, else string), except that where the schema allows "string"
/// but not the scalar's own type the original text is kept (an all-digit password stays a
/// string; an environment variable set to "" gives ""). Keys starting with "x-" are dropped.
ConfigCheck CheckConnectorConfig(const SchemaNode* schema, const config::Value& config,
                                 const std::string& path);

}  // namespace rapidbyte::plugin::manifest
