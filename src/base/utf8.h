// UTF-8 validation. Portable; used for pipeline files, identifiers and Arrow utf8 data.
#pragma once

#include <cstddef>
#include <string_view>

namespace rapidbyte {

/// Return the byte offset of the first invalid UTF-8 sequence in `text`, or
/// std::string_view::npos when all of it is valid (overlongs, surrogates and code points
/// above U+10FFFF are invalid).
std::size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

}  // namespace rapidbyte
