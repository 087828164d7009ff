// Generation of the per-module C glue that adapts wasm2c's output to RbModuleTable.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

/// The name wasm2c is run with (-n); every symbol of a translated module starts with it.
inline constexpr std::string_view kModulePrefix = "connector";

/// Generate the glue C source for the wasm2c header `header_text` (produced with
/// `wasm2c -n connector`) that includes it as `header_include`. Fails when the header does
/// not have the expected shape (no memory export, unexpected import modules).
Result<std::string> GenerateGlue(std::string_view header_text, std::string_view header_include);

}  // namespace rapidbyte::plugin::translate
