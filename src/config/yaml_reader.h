// YAML text -> Value tree. This is the one place that calls yaml-cpp, and the one place
// that catches a third-party library's exceptions and turns them into a Status.
#pragma once

#include <string_view>

#include "base/result.h"
#include "config/value.h"

namespace rapidbyte::config {

/// Parse one YAML document. Errors (syntax, duplicate keys, non-scalar keys, documents that
/// are too deep or too large after alias expansion) name `file:line:column`; every
/// duplicate key is reported, not just the first.
Result<Value> ParseYaml(std::string_view text, std::string_view file);

}  // namespace rapidbyte::config
