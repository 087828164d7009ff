// Portable MD5 (RFC 1321), only for PostgreSQL's legacy "md5" password authentication, and
// the password hash that method sends. Not for any other use. Portable; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rapidbyte::pgwire {

using Md5Digest = std::array<std::uint8_t, 16>;

Md5Digest Md5(std::span<const std::uint8_t> data);
Md5Digest Md5(std::string_view data);

/// The PasswordMessage for AuthenticationMD5Password:
/// "md5" + hex(md5(hex(md5(password + user)) + salt)).
std::string Md5PasswordResponse(std::string_view user, std::string_view password,
                                std::span<const std::uint8_t> salt);

}  // namespace rapidbyte::pgwire
