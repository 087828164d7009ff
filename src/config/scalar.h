// Typing of YAML scalars by the YAML 1.2 core schema, and the number parsers behind the
// typed fields of the pipeline model.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace rapidbyte::config {

enum class ScalarType { kNull, kBool, kInt, kFloat, kString };

/// Return the core-schema type of a plain scalar's text (quoted scalars are strings).
ScalarType ResolvePlainScalar(std::string_view text);

/// Parse a core-schema integer (decimal with optional sign, 0o octal, 0x hex).
/// nullopt when the text is not one or does not fit in int64.
std::optional<std::int64_t> ParseCoreInt(std::string_view text);

/// Parse a core-schema boolean (true/True/TRUE/false/False/FALSE).
std::optional<bool> ParseCoreBool(std::string_view text);

}  // namespace rapidbyte::config
