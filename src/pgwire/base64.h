// Standard base64 (RFC 4648 §4, with padding) for SCRAM messages. Decoding is strict: only the
// standard alphabet, correct padding, no whitespace. Portable; no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace rapidbyte::pgwire {

std::string Base64Encode(std::span<const std::uint8_t> data);
/// Decode strict base64; InvalidArgument on any malformed input.
Result<std::vector<std::uint8_t>> Base64Decode(std::string_view text);

}  // namespace rapidbyte::pgwire
