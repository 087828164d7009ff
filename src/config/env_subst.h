// ${VAR} / ${VAR:-default} substitution inside scalar values (SPEC §2.5).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/value.h"

namespace rapidbyte::config {

/// Look up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment.
EnvLookup ProcessEnvironment();

/// What substitution found across a document.
struct SubstitutionReport {
  /// Missing variables with the field paths that use them, in first-use order.
  std::vector<std::pair<std::string, std::vector<std::string>>> missing;
  /// Malformed references, as "path: message" lines.
  std::vector<std::string> problems;

  /// "Missing environment variable(s): A (path), B (path, path)" or "" when none.
  std::string MissingMessage() const;
};

/// Substitute references in every scalar below `value` (keys are never touched). `path`
/// names `value` in messages ("source.config"). Substituted text is not expanded again;
/// "$${" yields a literal "${".
void SubstituteEnvironment(Value& value, const std::string& path, const EnvLookup& env,
                           SubstitutionReport& report);

}  // namespace rapidbyte::config
