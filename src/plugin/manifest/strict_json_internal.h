// Parsing a manifest's JSON without exceptions, rejecting duplicate object keys and deep
// nesting (the schema compiler recurses). Folder-private.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace rapidbyte::plugin::manifest::internal {

/// Deepest nesting of objects and arrays accepted.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Parse one JSON document. InvalidArgument naming the position for a syntax error
/// ("invalid JSON: syntax error at line 3, column 5: ..."), or the key of a duplicate.
Result<nlohmann::json> ParseStrictJson(std::string_view text);

}  // namespace rapidbyte::plugin::manifest::internal
