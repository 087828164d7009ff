// Whole-file reads and writes with size caps, for the translator and the cache. Host only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::plugin::translate {

/// Read the regular file `path`; fails (kInvalidArgument) when it is larger than `max_bytes`.
Result<std::vector<std::uint8_t>> ReadFileBytes(const std::string& path, std::uint64_t max_bytes);

/// Create or truncate `path` (mode 0644) and write `data` to it.
Status WriteFileBytes(const std::string& path, std::string_view data);

}  // namespace rapidbyte::plugin::translate
