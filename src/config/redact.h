// Finding and hiding secrets in configuration values (SPEC §10.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::config {

/// True when a config key names a secret: it is, or ends with, password, secret, token, key
/// or credentials (case-insensitive).
bool IsSecretKey(std::string_view key);

/// The password of a URL such as postgres://user:pw@host/db, if any.
std::optional<std::string> UrlPassword(std::string_view url);

/// The URL with its password replaced by "***".
std::string RedactUrlPassword(std::string_view url);

/// Replace every occurrence of each secret of 4 characters or more in `text` by "***".
std::string RedactText(std::string_view text, const std::vector<std::string>& secrets);

}  // namespace rapidbyte::config
